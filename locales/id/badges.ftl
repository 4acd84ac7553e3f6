# Lencana dan papan peringkat bulanan.
nav-badges = Lencana
nav-leaderboard = Peringkat

badges-title = Lencana saya
badges-intro = Lencana menghargai apa yang Anda lakukan dalam program. Setiap lencana diperoleh satu kali.
badges-earned = Diperoleh
badges-earned-on = Diperoleh pada { $date }
badges-points = +{ $points } poin
badges-earned-empty = Belum ada lencana: deklarasi pertama Anda yang disetujui memberi satu lencana.
badges-locked = Untuk diraih
badges-how = Cara meraihnya:
badges-worth = Bernilai { $points } poin

badge-first-declaration-name = Penjualan pertama
badge-first-declaration-rule = Dapatkan persetujuan untuk deklarasi pertama Anda.
badge-declarations-10-name = 10 penjualan
badge-declarations-10-rule = Dapatkan persetujuan untuk 10 deklarasi.
badge-declarations-50-name = 50 penjualan
badge-declarations-50-rule = Dapatkan persetujuan untuk 50 deklarasi.
badge-declarations-100-name = 100 penjualan
badge-declarations-100-rule = Dapatkan persetujuan untuk 100 deklarasi.
badge-month-missions-name = Misi tuntas
badge-month-missions-rule = Selesaikan semua misi yang terbuka untuk Anda dalam satu bulan kalender (misi yang dimulai dan berakhir di bulan itu).
badge-challenge-podium-name = Di podium
badge-challenge-podium-rule = Selesaikan tantangan di peringkat pertama, kedua, atau ketiga.
badge-streak-weeks-name = Terus melaju
badge-streak-weeks-rule = Jual setiap minggu selama { $weeks } minggu berturut-turut: satu deklarasi disetujui dengan tanggal penjualan di setiap minggu (Senin sampai Minggu).

leaderboard-title = Peringkat bulan ini
leaderboard-intro = Poin yang diperoleh selama bulan tersebut (deklarasi, misi, tantangan, lencana). Poin yang ditarik kembali setelah koreksi tidak dihitung.
leaderboard-month = Bulan
leaderboard-show = Tampilkan
leaderboard-board = Peringkat
leaderboard-people = Peserta
leaderboard-partners = Mitra
leaderboard-scope = Dibandingkan dengan
leaderboard-region = Wilayah saya ({ $region })
leaderboard-national = Nasional ({ $country })
leaderboard-everyone = Semua orang
leaderboard-my-rank = Anda berada di peringkat { $rank } dari { $total } dengan { $points } poin.
leaderboard-our-rank = Mitra Anda berada di peringkat { $rank } dari { $total } dengan { $points } poin.
leaderboard-not-ranked = Anda belum memperoleh poin bulan ini: satu deklarasi yang disetujui memasukkan Anda ke peringkat.
leaderboard-rank = Peringkat
leaderboard-partner = Mitra
leaderboard-participant = Peserta
leaderboard-points = Poin
leaderboard-empty = Belum ada yang memperoleh poin bulan ini.

studio-badges-title = Lencana
studio-badges-body = Nama, gambar, dan poin lencana yang diperoleh peserta.
studio-badges-intro = Aturannya sudah tersedia; beri setiap lencana nama, deskripsi, gambar, dan poin Anda sendiri, atau nonaktifkan.
studio-badges-name = Nama
studio-badges-name-hint = Kosongkan untuk memakai nama standar, diterjemahkan untuk setiap peserta.
studio-badges-rule = Aturan
studio-badges-points = Poin
studio-badges-points-hint = Poin yang diperoleh bersama lencana, satu kali (0: tidak ada).
studio-badges-status = Status
studio-badges-description = Deskripsi
studio-badges-description-hint = Kosongkan untuk menampilkan aturannya.
studio-badges-weeks = Minggu berturut-turut
studio-badges-weeks-hint = Dari 2 sampai 52 minggu.
studio-badges-active = Peserta dapat memperoleh lencana ini
studio-badges-image = Gambar
studio-badges-no-image = Tanpa gambar: sebuah bintang ditampilkan.
studio-badges-choose-image = Pilih gambar
studio-badges-image-hint = JPEG, PNG, atau WebP, paling besar { $max } MB; ditampilkan bulat.
studio-badges-upload = Unggah
studio-badges-remove-image = Hapus gambar
studio-badges-saved = Lencana disimpan.
studio-badges-image-saved = Gambar disimpan.
studio-badges-image-removed = Gambar dihapus.

error-badge-name-length = Paling banyak 80 karakter.
error-badge-description-length = Paling banyak 500 karakter.
error-badge-points = Bilangan bulat dari 0 sampai 1.000.000.
error-badge-weeks = Jumlah minggu berupa bilangan bulat dari 2 sampai 52.

email-badge-earned-subject = { $tenant }: Anda memperoleh lencana
email-badge-earned-body = Selamat, Anda memperoleh lencana baru:
email-badge-earned-points = Lencana ini memberi Anda { $points } poin.
email-badge-earned-button = Lihat lencana saya

audit-action-badge-updated = Lencana diperbarui

emails-template-badge_earned = Lencana diperoleh
points-cause-badge = Lencana
