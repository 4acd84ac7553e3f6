## Poin: laporan
nav-points = Poin saya
points-title = Poin saya
points-available = Tersedia
points-held = Ditahan
points-expiring-soon = Kedaluwarsa dalam 90 hari
points-export-csv = Ekspor CSV
points-no-movement = Tidak ada pergerakan pada periode ini.
points-date = Tanggal
points-reason = Alasan
points-amount = Poin
points-balance = Saldo
points-opening = Saldo pada awal periode
points-kind-earn = Diperoleh
points-kind-adjust = Penyesuaian
points-kind-hold = Ditahan
points-kind-capture = Dipakai
points-kind-release = Dilepas
points-kind-expire = Kedaluwarsa
points-kind-reversal = Koreksi
points-cause-declaration = Laporan penjualan #{ $id }
points-cause-mission = Misi #{ $id }
points-cause-challenge = Tantangan #{ $id }
points-cause-redemption = Penukaran hadiah #{ $id }
points-cause-manual = Manual #{ $id }

## Poin: administrasi
admin-points-body = Saldo per peserta, penyesuaian, dan kewajiban program.
points-admin-title = Poin
points-outstanding = Poin beredar
points-expiring-by-month = Kedaluwarsa per bulan
points-month = Bulan
points-balances = Saldo per peserta
points-partner = Mitra
points-sort = Urutkan
points-sort-available-desc = Poin terbanyak dahulu
points-sort-available-asc = Poin tersedikit dahulu
points-sort-name = Nama
points-sort-partner = Mitra
points-adjust-title = Sesuaikan poin
points-adjust-amount = Poin yang ditambahkan (negatif untuk mengurangi)
points-adjust-amount-hint = Misalnya 250 atau -100.
points-adjust-submit = Catat penyesuaian
points-adjusted = Penyesuaian dicatat.
error-points-insufficient = Peserta tidak memiliki poin tersedia sebanyak itu.
error-points-nonzero = Masukkan jumlah poin selain nol.
error-points-integer = Masukkan jumlah poin berupa bilangan bulat.
error-participant-unknown = Peserta ini tidak ada.

## Poin: email
email-points-expiring-subject = Poin { $tenant } Anda segera kedaluwarsa
email-points-expiring-body = { $points } poin Anda akan kedaluwarsa pada { $date }; setelah tanggal itu poin tersebut keluar dari saldo Anda.
email-points-expiring-button = Lihat poin saya
emails-template-points_expiring = Poin segera kedaluwarsa
points-by-partner = Poin per mitra
points-participants = Peserta
error-points-resubmitted = Formulir ini sudah dikirim dengan nilai lain. Muat ulang halaman dan coba lagi.
