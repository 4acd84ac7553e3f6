# Sell-in vs sell-out dan hasil tantangan (analitik studio).
roi-sell-through-title = Sell-in vs sell-out
roi-sell-through-body = Sell-in dibandingkan sell-out yang disetujui per minggu, mitra dan produk, stok yang tersirat, serta mitra yang penjualannya melambat.
roi-sell-through-intro = Sell-in dan sell-out yang disetujui (menurut tanggal penjualan) selama periode. Stok tersirat dan peringatan sama dengan halaman stok: stok awal ditambah semua sell-in dikurangi semua sell-out yang disetujui hingga akhir periode.
roi-product = Produk
roi-all-partners = Semua mitra
roi-week = Minggu mulai
roi-weeks-title = Per minggu
roi-partners-title = Per mitra
roi-products-title = Per produk
roi-shown = Ditampilkan { $shown } terbesar dari { $total }; berkas CSV memuat semuanya.
roi-slowing-title = Mitra yang perlu didorong
roi-slowing-rule = Mitra yang sell-out disetujuinya selama { $recent } minggu hingga { $end } (sejak { $start }), sebagai rata-rata mingguan, turun di bawah rata-rata mingguannya sendiri selama { $trailing } minggu sebelumnya.
roi-slowing-empty = Tidak ada mitra yang sell-out-nya turun di bawah rata-ratanya sendiri.
roi-recent = { $weeks } minggu terakhir
roi-trailing = { $weeks } minggu sebelumnya
roi-pace = Laju mingguan vs rata-rata
roi-draft-button = Mulai draf tantangan untuk { $count ->
    [one] mitra ini
   *[other] { $count } mitra ini
  }
roi-draft-segment = Mitra yang perlu didorong
roi-draft-title = Tantangan kebangkitan
roi-draft-description = Tantangan untuk mitra yang sell-out-nya turun di bawah rata-ratanya sendiri.
roi-draft-started = Draf tantangan dibuat untuk mitra yang perlu didorong, dengan segmen yang mencantumkan mereka. Atur lalu terbitkan.
roi-draft-nobody = Tidak ada lagi mitra yang perlu didorong dengan filter ini: tidak ada yang dibuat.
roi-challenges-title = Hasil tantangan
roi-challenges-body = Partisipasi, pencapaian, sell-out inkremental, dan biaya poin setiap tantangan.
roi-challenges-intro = Tantangan terbit yang dimulai dalam periode ini, apa yang dihasilkan dibandingkan periode acuan setiap peserta (atau mitra), dan biaya hadiahnya.
roi-started-from = Dimulai sejak
roi-challenges-empty = Tidak ada tantangan terbit yang dimulai dalam periode ini.
roi-distribution-title = Sebaran pencapaian
roi-results-title = Hasil per tantangan
roi-challenge = Tantangan
roi-participation = Partisipasi
roi-bucket-0-25 = 0–25 %
roi-bucket-25-50 = 25–50 %
roi-bucket-50-75 = 50–75 %
roi-bucket-75-100 = 75–100 %
roi-bucket-100-plus = ≥ 100 %
roi-result = Hasil
roi-reference = Acuan
roi-incremental = Inkremental
roi-target = Target
roi-points = Poin diberikan
roi-per-unit = Poin per unit inkremental
roi-per-unit-value = { $whole },{ $cents }
roi-definitions = Partisipasi: peserta dengan hasil di atas nol, dari yang terdaftar. Pencapaian: hasil dibandingkan target, per subjek (peserta, atau mitra dalam tantangan mitra). Periode acuan: milik target pertumbuhan; jika tidak ada, sejumlah hari yang sama dengan tantangan, tepat sebelumnya. Inkremental: hasil dikurangi hasil subjek yang sama selama periode acuannya. Poin diberikan: hadiah tantangan yang dicatat di buku besar (bonus pengali pada deklarasi tidak termasuk). Poin per unit inkremental (per unit mata uang untuk pendapatan) hanya jika inkremental di atas nol.
roi-reference-period = Periode acuan { $start } – { $end } ({ $given ->
    [true] milik target pertumbuhan
   *[other] sepanjang tantangan, tepat sebelumnya
  })
roi-open-challenge = Buka tantangan
roi-subjects-participants = Peserta
roi-subjects-partners = Mitra
roi-partners-chart = Sell-out 10 mitra terbesar
roi-attainment = Pencapaian
