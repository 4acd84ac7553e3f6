## Navigasi dan tata letak
nav-label = Navigasi utama
nav-home = Beranda
nav-studio = Studio
nav-admin = Administrasi
nav-language = Bahasa
nav-language-apply = Ganti
nav-logout = Keluar
nav-menu = Menu
footer-powered-by = Didukung oleh Relais

## Masuk
login-title = Masuk
login-heading = Masuk ke { $tenant }
login-email = Email
login-password = Kata sandi
login-submit = Masuk
login-invalid = Email atau kata sandi salah.
login-too-many-attempts = Terlalu banyak percobaan. Silakan coba lagi nanti.

## Beranda peserta
home-title = Beranda
home-welcome = Selamat datang, { $name }!
home-points-title = Poin saya
home-points-unit = poin tersedia
home-points-held = { $points } poin ditahan untuk pesanan Anda yang tertunda.
home-action-declare = Laporkan penjualan
home-action-catalog = Buka katalog
home-monthly-rank = Peringkat { $rank } dari { $count } bulan ini ({ $points } poin)
home-see-all = Lihat semua
home-rank = Peringkat { $rank } dari { $count }
home-more-challenges = { $count ->
   *[other] { $count } tantangan lain sedang berjalan
}
home-missions-title = Misi yang harus dikerjakan
home-more-missions = { $count ->
   *[other] { $count } misi lain untuk dikerjakan
}
home-missions-none = Belum ada yang perlu dikerjakan: misi baru akan muncul di sini.
home-rewards-title = Hadiah yang bisa dijangkau
home-reward-affordable = Sesuai saldo Anda
home-declarations-title = Laporan terbaru saya
home-declarations-none = Belum ada laporan: laporkan penjualan pertama Anda untuk mendapatkan poin.
home-points-expiring = { $points } poin kedaluwarsa dalam 90 hari: segera gunakan!

## Studio
studio-title = Studio
studio-intro = Atur program { $tenant }: produk, mitra, segmen, misi, stok, dan impor.

## Administrasi
admin-title = Administrasi
admin-theme-body = Nama, warna, logo, dan bahasa bawaan portal.
admin-users-body = Akun peserta, pemasar, dan administrator.

## Tema
theme-title = Tema
theme-name = Nama program
theme-primary-color = Warna utama
theme-accent-color = Warna aksen
theme-default-locale = Bahasa bawaan
theme-logo = Logo
theme-logo-hint = PNG, JPEG, atau WebP, maksimal 1 MB. Biarkan kosong untuk mempertahankan logo saat ini.
theme-save = Simpan tema
theme-saved = Tema disimpan.
theme-preview = Pratinjau
theme-preview-body = Beginilah peserta Anda akan melihat portal.
theme-preview-button = Laporkan penjualan
theme-preview-badge = Emas

## Pengguna
users-title = Pengguna
users-name = Nama
users-email = Email
users-role = Peran
users-status = Status
users-search-hint = Nama atau email
users-count = { $count } pengguna
users-active-badge = Aktif
users-disabled-badge = Nonaktif
users-invited-badge = Diundang, belum pernah masuk
users-disable = Nonaktifkan akun
users-enable = Aktifkan akun
users-disabled = Akun dinonaktifkan.
users-enabled = Akun diaktifkan.
users-cannot-disable-self = Anda tidak dapat menonaktifkan akun Anda sendiri.
role-participant = Peserta
role-marketer = Pemasar
role-admin = Administrator

## Kesalahan isian
error-required = Kolom ini wajib diisi.
error-too-long = Isian ini terlalu panjang.
error-email-invalid = Masukkan alamat email yang valid.
error-email-taken = Akun dengan email ini sudah ada.
error-password-too-short = Kata sandi minimal 10 karakter.
error-color-invalid = Masukkan warna dalam format # diikuti enam digit heksadesimal, mis. #1f6f5c.
error-color-contrast = Warna ini terlalu terang: teks putih di atasnya dan tautan berwarna ini akan berada di bawah kontras 4,5:1 yang disyaratkan WCAG AA. Pilih warna yang lebih gelap.
theme-primary-hint = Dipakai untuk bilah atas, tombol dan tautan: kontrasnya dengan putih harus minimal 4,5:1.
error-locale-invalid = Pilih salah satu bahasa yang tersedia.
error-logo-type = Logo harus berupa gambar PNG, JPEG, atau WebP.
error-logo-too-large = Ukuran logo tidak boleh lebih dari 1 MB.
error-slug-invalid = Gunakan hanya huruf kecil, angka, dan tanda hubung.
error-slug-taken = Pengenal ini sudah digunakan.
error-domain-taken = Domain ini sudah digunakan oleh program lain.

## Halaman kesalahan
error-403-title = Akses ditolak
error-403-body = Akun Anda tidak memiliki akses ke halaman ini.
error-404-title = Halaman tidak ditemukan
error-404-body = Tidak ada apa pun di alamat ini.
error-500-title = Terjadi kesalahan
error-500-body = Kami tidak dapat memproses permintaan Anda. Silakan coba lagi sebentar lagi.
error-4xx-title = Permintaan ditolak
error-4xx-body = Permintaan tidak dapat dipahami. Silakan kembali dan coba lagi.
error-back-home = Kembali ke beranda

## Daftar dan filter
filter-all = Semua
filter-from = Dari
filter-until = Sampai
filter-apply = Saring
pager-previous = Sebelumnya
pager-next = Berikutnya
admin-audit-body = Siapa mengubah apa, dan kapan.
error-refused-back = Kembali, perbaiki, lalu kirim lagi: isian Anda masih ada di formulir.
error-field-nul = Kolom “{ $field }” berisi karakter NUL (\0) yang tidak dapat disimpan. Hapus lalu kirim lagi.
error-form-too-large = Formulir ini terlalu besar: paling banyak { $limit } dapat dikirim sekaligus.
error-upload-too-large = Unggahan ini terlalu besar: paling banyak { $limit } secara total. Kirim file yang lebih kecil, atau lebih sedikit sekaligus.
error-form-field-missing = Formulir tiba tanpa kolom “{ $field }”. Muat ulang halaman lalu kirim lagi.
error-form-unreadable = Formulir tidak dapat dibaca. Muat ulang halaman lalu kirim lagi.
error-field-unreadable = Kolom “{ $field }” tidak dapat dibaca. Muat ulang halaman lalu kirim lagi.
