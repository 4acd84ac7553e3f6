//! `relais import partners|participants|products|sell-in|opening-stock|sell-out FILE
//! --tenant SLUG`, with a progress bar.

use std::path::PathBuf;
use std::time::Duration;

use fluent_templates::fluent_bundle::FluentValue;
use indicatif::{ProgressBar, ProgressStyle};

use crate::db::{tenants, DbPool};
use crate::domain::Locale;
use crate::i18n::tr_args;
use crate::services::audit::Actor;
use crate::services::imports::{self, ImportError, ImportFile, ImportKind, Phase, Progress};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    Partners,
    Participants,
    Products,
    /// Partner code, SKU, date, quantity, amount (and an optional ERP reference).
    SellIn,
    /// Partner code, SKU, quantity: the stock before the first sell-in.
    OpeningStock,
    /// Sell-out declarations of the brand's partners, one row per invoice line.
    SellOut,
    /// The reward catalog: code, name, category, kind, points (and the optional fields).
    Rewards,
}

impl From<KindArg> for ImportKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Partners => ImportKind::Partners,
            KindArg::Participants => ImportKind::Participants,
            KindArg::Products => ImportKind::Products,
            KindArg::Rewards => ImportKind::Rewards,
            KindArg::SellIn => ImportKind::SellIn,
            KindArg::OpeningStock => ImportKind::OpeningStock,
            KindArg::SellOut => ImportKind::SellOut,
        }
    }
}

/// A bar on stderr (hidden when stderr is not a terminal).
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, phase: Phase, total: u64) {
        self.0.reset();
        self.0.set_length(total);
        self.0.set_message(match phase {
            Phase::Checking => "checking",
            Phase::Writing => "writing",
        });
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

pub fn run(pool: &DbPool, kind: KindArg, file: PathBuf, tenant: &str) -> Result<(), String> {
    let kind = ImportKind::from(kind);
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut conn = super::conn(pool)?;
    let t = tenants::find_by_slug(&mut conn, tenant)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant with slug {tenant:?}"))?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} rows")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let actor = Actor::system("cli-import");
    let import = ImportFile {
        kind,
        name: &name,
        bytes: &bytes,
    };
    let outcome = imports::import(&mut conn, t.tenant_id(), &actor, &import, &Bar(bar.clone()));
    bar.finish_and_clear();
    match outcome {
        Ok(s) => {
            println!(
                "Imported {} into {}: {} row(s), {} created, {} updated, {} unchanged.",
                name, t.slug, s.rows, s.created, s.updated, s.unchanged
            );
            if s.invited > 0 {
                println!("{} invitation(s) queued.", s.invited);
            }
            Ok(())
        }
        Err(ImportError::Refused(refusal)) => {
            for e in &refusal.errors {
                let args = [
                    ("value", FluentValue::from(e.value.clone())),
                    ("line", FluentValue::from(e.other_line.unwrap_or_default())),
                ];
                let message = tr_args(Locale::En, e.key, &args);
                let line = e.line.map(|l| format!("line {l}")).unwrap_or_default();
                let column = e.column.as_deref().unwrap_or("");
                eprintln!("{}: {line} {column}: {message}", file.display());
            }
            let total = refusal.errors.len() + refusal.more;
            Err(format!(
                "import refused: {total} problem(s) in {}; nothing was imported",
                file.display()
            ))
        }
        Err(ImportError::Failed(e)) => Err(format!("import failed: {e}")),
    }
}
