//! Which column of a file is which: the names files use in English, French and
//! Indonesian (one table per kind of file), compared without case, accents, spaces or
//! punctuation, then the tenant's own mapping for the headers nothing else recognises.

use std::collections::BTreeMap;

use super::ImportKind;

/// Column → folded header of the file that holds it, as the user chose on the import page.
pub type Mapping = BTreeMap<String, String>;

pub use super::aliases::{aliases, Aliases};

/// A header as compared: lower case, without accents, keeping letters and digits only
/// ("Code Externe", "code_externe" and "CODE-EXTERNE" are one name).
pub fn fold(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// The column a folded header names: by the column's own name, or by an alias.
fn named(table: Aliases, folded: &str, by_alias: bool) -> Option<&'static str> {
    table
        .iter()
        .find(|(column, names)| {
            if by_alias {
                names.iter().any(|n| fold(n) == folded)
            } else {
                fold(column) == folded
            }
        })
        .map(|(column, _)| *column)
}

/// What each column of a file is, and what could not be found.
#[derive(Debug, Default, PartialEq)]
pub struct Resolved {
    /// Per column of the file: the column it holds, or `""` (ignored).
    pub keys: Vec<String>,
    /// Columns every file of the kind needs and this one lacks.
    pub missing: Vec<&'static str>,
    /// Columns two headers of the file claim: (column, the second header).
    pub twice: Vec<(&'static str, String)>,
}

/// Finds each column of `kind` among `headers`: by its own name, then by its aliases,
/// then, for what is still missing, by the tenant's mapping.
pub fn resolve(kind: ImportKind, headers: &[String], saved: &Mapping) -> Resolved {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut keys = vec![String::new(); headers.len()];
    let mut twice = vec![];
    let table = aliases(kind);
    let taken = |keys: &[String], column: &str| keys.iter().any(|k| k == column);
    for by_alias in [false, true] {
        for (i, f) in folded.iter().enumerate() {
            if !keys[i].is_empty() || f.is_empty() {
                continue;
            }
            if let Some(column) = named(table, f, by_alias) {
                if taken(&keys, column) {
                    twice.push((column, headers[i].clone()));
                } else {
                    keys[i] = column.to_string();
                }
            }
        }
    }
    for (column, _) in table {
        let chosen = saved.get(*column).filter(|h| !h.is_empty());
        let at = chosen.and_then(|h| folded.iter().position(|f| f == h));
        if let Some(i) = at.filter(|i| keys[*i].is_empty() && !taken(&keys, column)) {
            keys[i] = column.to_string();
        }
    }
    let missing = kind
        .required_columns()
        .iter()
        .copied()
        .filter(|c| !taken(&keys, c))
        .collect();
    Resolved {
        keys,
        missing,
        twice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(';').map(str::to_string).collect()
    }

    #[test]
    fn every_kind_names_each_of_its_columns_once() {
        for kind in ImportKind::ALL {
            let mut listed: Vec<&str> = aliases(kind).iter().map(|(c, _)| *c).collect();
            listed.sort_unstable();
            let mut expected: Vec<&str> = kind
                .required_columns()
                .iter()
                .chain(kind.optional_columns())
                .copied()
                .collect();
            expected.sort_unstable();
            assert_eq!(listed, expected, "{kind:?}");
            // No name may stand for two columns of one kind.
            let mut seen = BTreeMap::new();
            for (column, names) in aliases(kind) {
                for name in names.iter().chain([column]) {
                    let previous = seen.insert(fold(name), *column);
                    assert!(
                        previous.is_none() || previous == Some(*column),
                        "{kind:?}: {name} names {column} and {previous:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn headers_are_compared_without_case_accents_or_punctuation() {
        assert_eq!(fold("Code Externe"), "codeexterne");
        assert_eq!(fold(" code_externe "), "codeexterne");
        assert_eq!(fold("RÉGION"), "region");
        assert_eq!(fold("Qté"), "qte");
        assert_eq!(fold("N° facture"), "nfacture");
    }

    #[test]
    fn french_and_indonesian_partner_files_are_understood() {
        let none = Mapping::new();
        let fr = headers("code_externe;Nom;Type;Mode de marque;Région;Pays;Potentiel;Niveau;Actif");
        let r = resolve(ImportKind::Partners, &fr, &none);
        assert!(r.missing.is_empty(), "{r:?}");
        assert_eq!(r.keys[0], "external_code");
        assert_eq!(r.keys[4], "region");
        let id = headers("kode_eksternal;nama;jenis;mode merek;wilayah;negara;potensi");
        let r = resolve(ImportKind::Partners, &id, &none);
        assert!(r.missing.is_empty(), "{r:?}");
        assert_eq!(r.keys[2], "kind");
    }

    #[test]
    fn every_kind_reads_its_french_and_indonesian_headers() {
        let files = [
            (
                ImportKind::Participants,
                "Courriel;Nom;Code partenaire;Langue",
            ),
            (
                ImportKind::Participants,
                "surel;nama lengkap;kode mitra;bahasa",
            ),
            (
                ImportKind::Products,
                "Référence;Libellé;Catégorie;Prix unitaire;Points par unité",
            ),
            (
                ImportKind::Products,
                "kode produk;nama produk;kategori;harga satuan;poin per unit",
            ),
            (
                ImportKind::SellIn,
                "Code client;Code article;Date facture;Quantité;Montant",
            ),
            (
                ImportKind::SellIn,
                "kode pelanggan;kode produk;tanggal;jumlah;nilai",
            ),
            (
                ImportKind::OpeningStock,
                "code partenaire;référence;stock initial",
            ),
            (ImportKind::OpeningStock, "kode mitra;kode barang;stok awal"),
            (
                ImportKind::SellOut,
                "N° facture;Ligne;Date de vente;Canal;Référence;Qté",
            ),
            (
                ImportKind::SellOut,
                "nomor faktur;baris;tanggal penjualan;saluran;kode produk;kuantitas",
            ),
        ];
        for (kind, line) in files {
            let r = resolve(kind, &headers(line), &Mapping::new());
            assert!(
                r.missing.is_empty() && r.twice.is_empty(),
                "{kind:?} {line}: {r:?}"
            );
        }
    }

    #[test]
    fn the_tenants_mapping_names_what_nothing_else_recognises() {
        let file = headers("Num client;Enseigne;sku;x");
        let r = resolve(ImportKind::Participants, &file, &Mapping::new());
        assert_eq!(r.missing, vec!["email", "name", "partner_code"]);
        let saved = Mapping::from([
            ("email".to_string(), "x".to_string()),
            ("name".to_string(), "enseigne".to_string()),
            ("partner_code".to_string(), "numclient".to_string()),
        ]);
        let r = resolve(ImportKind::Participants, &file, &saved);
        assert!(r.missing.is_empty(), "{r:?}");
        assert_eq!(r.keys, vec!["partner_code", "name", "", "email"]);
    }

    #[test]
    fn two_headers_for_one_column_are_reported() {
        let r = resolve(
            ImportKind::Products,
            &headers("sku;nom;name;category;prix;points"),
            &Mapping::new(),
        );
        assert_eq!(r.twice, vec![("name", "nom".to_string())]);
    }
}
