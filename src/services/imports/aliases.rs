//! What files call each column, besides its own name: one table per kind of file, in
//! English, French and Indonesian (compared folded, see `columns::fold`). Tested in
//! `columns`: every column of a kind is listed once, and no name stands for two.

use super::ImportKind;

/// For each column of a kind, its other names.
pub type Aliases = &'static [(&'static str, &'static [&'static str])];

#[rustfmt::skip]
const PARTNER_CODE: &[&str] = &[
    "partner code", "customer code",
    "code partenaire", "code client", "code du partenaire",
    "kode mitra", "kode pelanggan", "kode partner",
];

#[rustfmt::skip]
const SKU: &[&str] = &[
    "product code", "article",
    "code article", "code produit", "réf produit",
    "kode produk", "kode barang", "kode artikel",
];

/// Where no other column is a reference, a reference is the product's.
#[rustfmt::skip]
const SKU_OR_REF: &[&str] = &[
    "product code", "article", "reference", "ref",
    "code article", "code produit", "réf produit", "référence produit",
    "kode produk", "kode barang", "kode artikel",
];

#[rustfmt::skip]
const QUANTITY: &[&str] = &["qty", "units", "quantité", "qté", "jumlah", "kuantitas"];

#[rustfmt::skip]
const UNIT_PRICE: &[&str] = &["price", "prix unitaire", "prix", "prix unitaire ht", "harga satuan", "harga"];

#[rustfmt::skip]
const ACTIVE: &[&str] = &["enabled", "actif", "aktif"];

#[rustfmt::skip]
const PARTNERS: Aliases = &[
    ("external_code", &["code", "erp code", "code externe", "code erp", "code client", "kode eksternal", "kode pelanggan", "kode erp", "kode mitra"]),
    ("name", &["partner name", "company", "nom", "raison sociale", "nom du partenaire", "nama", "nama mitra"]),
    ("kind", &["type", "partner type", "type de partenaire", "jenis", "tipe", "jenis mitra"]),
    ("brand_mode", &["brands", "mode de marque", "mode marque", "mode merek", "merek"]),
    ("region", &["région", "wilayah", "daerah", "provinsi"]),
    ("country", &["pays", "negara"]),
    ("potential", &["potentiel", "potensi"]),
    ("tier", &["level", "niveau", "palier", "tingkat", "tingkatan"]),
    ("active", ACTIVE),
];

#[rustfmt::skip]
const PARTICIPANTS: Aliases = &[
    ("email", &["e-mail", "mail", "courriel", "adresse e-mail", "adresse email", "surel", "alamat email"]),
    ("name", &["full name", "nom", "nom complet", "prénom nom", "nama", "nama lengkap"]),
    ("partner_code", PARTNER_CODE),
    ("locale", &["language", "lang", "langue", "bahasa"]),
];

#[rustfmt::skip]
const PRODUCTS: Aliases = &[
    ("sku", SKU_OR_REF),
    ("name", &["product name", "nom", "libellé", "désignation", "nom du produit", "nama", "nama produk"]),
    ("category", &["family", "catégorie", "famille", "kategori"]),
    ("unit_price", UNIT_PRICE),
    ("points_per_unit", &["points", "points par unité", "points unité", "poin", "poin per unit", "poin per satuan"]),
    ("active", ACTIVE),
];

#[rustfmt::skip]
const REWARDS: Aliases = &[
    ("code", &["reward code", "code récompense", "référence", "kode hadiah", "kode"]),
    ("name", &["reward", "nom", "libellé", "récompense", "nama", "nama hadiah", "hadiah"]),
    ("description", &["détail", "deskripsi", "keterangan"]),
    ("category", &["catégorie", "famille", "kategori"]),
    ("kind", &["type", "genre", "jenis", "tipe"]),
    ("points", &["cost", "coût", "prix en points", "poin", "harga poin"]),
    ("stock", &["quantité disponible", "stok"]),
    ("max_per_participant", &["maximum", "max par participant", "maksimum per peserta"]),
    ("available_from", &["from", "du", "début", "dari", "mulai"]),
    ("available_until", &["until", "au", "fin", "sampai", "hingga"]),
    ("active", ACTIVE),
];

#[rustfmt::skip]
const SELL_IN: Aliases = &[
    ("partner_code", PARTNER_CODE),
    ("sku", SKU),
    ("date", &["invoice date", "date facture", "date de facture", "date de vente", "tanggal", "tanggal faktur"]),
    ("quantity", QUANTITY),
    ("amount", &["total", "montant", "montant ht", "nilai", "total harga", "nominal"]),
    ("reference", &["invoice", "invoice number", "référence facture", "numéro de facture", "n° facture", "referensi", "nomor faktur", "no faktur"]),
];

#[rustfmt::skip]
const OPENING_STOCK: Aliases = &[
    ("partner_code", PARTNER_CODE),
    ("sku", SKU_OR_REF),
    ("quantity", &["stock", "opening stock", "qty", "quantité", "qté", "stock initial", "stok", "stok awal", "jumlah"]),
];

#[rustfmt::skip]
const SELL_OUT: Aliases = &[
    ("invoice_ref", &["invoice", "invoice number", "facture", "référence facture", "numéro de facture", "n° facture", "faktur", "nomor faktur", "no faktur"]),
    ("line", &["line number", "ligne", "n° ligne", "numéro de ligne", "baris", "no baris"]),
    ("sale_date", &["date", "date de vente", "tanggal", "tanggal penjualan"]),
    ("channel", &["canal", "canal de vente", "saluran", "kanal"]),
    ("sku", SKU_OR_REF),
    ("quantity", QUANTITY),
    ("unit_price", UNIT_PRICE),
    ("partner_code", PARTNER_CODE),
    ("participant_email", &["seller email", "email vendeur", "email du participant", "email participant", "email peserta", "email penjual"]),
    ("customer_type", &["type de client", "type client", "jenis pelanggan", "tipe pelanggan"]),
];

/// The other names of each column of a kind of file.
pub fn aliases(kind: ImportKind) -> Aliases {
    match kind {
        ImportKind::Partners => PARTNERS,
        ImportKind::Participants => PARTICIPANTS,
        ImportKind::Products => PRODUCTS,
        ImportKind::SellIn => SELL_IN,
        ImportKind::OpeningStock => OPENING_STOCK,
        ImportKind::SellOut => SELL_OUT,
        ImportKind::Rewards => REWARDS,
    }
}
