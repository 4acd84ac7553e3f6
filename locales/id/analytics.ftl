chart-no-data = Tidak ada data untuk periode dan filter ini.
chart-show-figures = Tampilkan angka
export-csv = Unduh CSV
export-excel-fr = CSV untuk Excel Prancis (titik koma)
