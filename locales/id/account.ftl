## Undangan, kata sandi
account-set-password-title = Pilih kata sandi Anda
account-invitation-heading = Selamat datang di { $tenant }
account-reset-heading = Pilih kata sandi baru
account-set-password-intro = { $name }, pilih kata sandi yang akan Anda gunakan untuk masuk.
account-new-password = Kata sandi baru
account-confirm-password = Konfirmasi kata sandi
account-password-hint = Minimal 10 karakter.
account-save-password = Simpan kata sandi saya
account-password-mismatch = Kedua kata sandi berbeda.
account-password-set = Kata sandi Anda telah disimpan. Sekarang Anda dapat masuk.
account-link-problem-title = Tautan ini tidak berlaku lagi
account-link-unknown = Tautan ini tidak valid. Pastikan Anda menyalinnya secara utuh.
account-link-expired = Tautan ini sudah kedaluwarsa.
account-link-used = Tautan ini sudah digunakan, atau tautan yang lebih baru telah dikirim.
account-link-ask-new = Anda dapat meminta tautan baru untuk memilih kata sandi.
account-forgot-link = Lupa kata sandi?
account-forgot-title = Atur ulang kata sandi
account-forgot-intro = Masukkan alamat email Anda: jika terdaftar, kami akan mengirimkan tautan untuk memilih kata sandi baru.
account-forgot-submit = Kirimi saya tautan
account-forgot-sent = Jika ada akun untuk alamat ini, email berisi tautan sedang dikirim. Periksa kotak masuk Anda.
account-back-to-login = Kembali ke halaman masuk

## Pengguna: undangan
users-invite-title = Undang seseorang
users-invite-submit = Kirim undangan
users-invited = Undangan terkirim.
users-reinvite = Kirim undangan baru
users-language = Bahasa
users-language-default = Bahasa program
error-role-invalid = Pilih salah satu peran yang tersedia.

## Email (administrasi)
emails-title = Email
admin-emails-body = Email dalam antrean, terkirim, dan gagal, dengan tombol untuk mencoba lagi.
emails-empty = Tidak ada email di sini.
emails-created = Dibuat
emails-to = Penerima
emails-kind = Email
emails-status = Status
emails-attempts = Percobaan
emails-error = Kesalahan terakhir
emails-error-history = Semua { $count } galat
emails-error-attempt = Percobaan { $attempt }
emails-retry = Coba lagi
emails-retried = Email dimasukkan kembali ke antrean.
emails-retry-not-failed = Hanya email yang gagal yang dapat dikirim ulang.
emails-status-queued = Dalam antrean
emails-status-running = Sedang dikirim
emails-status-done = Terkirim
emails-status-failed = Gagal
emails-template-invitation = Undangan
emails-template-password_reset = Atur ulang kata sandi

## Email (isi)
email-greeting = Halo { $name },
email-footer = Anda menerima email ini sebagai anggota program { $tenant }.
email-link-expires = Tautan ini berlaku selama { $hours } jam dan hanya sekali.
email-invitation-subject = Undangan Anda ke { $tenant }
email-invitation-body = Anda diundang untuk bergabung dengan program mitra { $tenant }: laporkan penjualan Anda dan dapatkan poin.
email-invitation-button = Pilih kata sandi saya
email-password-reset-subject = Atur ulang kata sandi { $tenant } Anda
email-password-reset-body = Seseorang meminta pengaturan ulang kata sandi akun { $tenant } Anda.
email-password-reset-button = Pilih kata sandi baru
email-password-reset-ignore = Jika bukan Anda, abaikan email ini: kata sandi Anda tidak berubah.

## Pengembangan
dev-mail-title = Email terkirim (pengembangan)
dev-mail-intro = Email yang ditulis oleh transport file pengembangan, dari yang terbaru.
dev-mail-empty = Belum ada email.

users-change-role = Ubah peran
users-role-changed = Peran diubah.
users-cannot-change-own-role = Anda tidak dapat mengubah peran Anda sendiri.
users-partner-code = Kode mitra
users-partner-code-hint = Khusus peserta: kode eksternal apotek atau toko mereka (mis. PH-75-0012).
error-partner-required = Peserta memerlukan kode mitranya.
error-partner-unknown = Tidak ada mitra aktif dengan kode ini.
