# Pesanan hadiah yang diproses melalui API integrasi.
error-order-line-unknown = Sebutkan satu atau beberapa baris dari pesanan ini.
