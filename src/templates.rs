//! The Tera templates with the translation function and filters, loaded once at start-up
//! by the web server and by the job worker (e-mails).

use tera::Tera;

use crate::config::Settings;
use crate::domain::contrast::{self, Rgb};

#[derive(Debug, thiserror::Error)]
#[error("cannot load templates: {0}")]
pub struct TemplateError(String);

/// Tera filter `readable_on`: the text colour (ink or white) that reads best on a
/// `#rrggbb` background.
fn readable_on(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let bg = value
        .as_str()
        .and_then(Rgb::parse)
        .ok_or_else(|| tera::Error::msg("readable_on expects a #rrggbb colour"))?;
    Ok(tera::Value::String(contrast::text_on(bg).hex()))
}

/// Tera function `asset(path="css/app.css")`: the file's URL with a fingerprint of its
/// content, so that browsers may keep assets for a year and still get every new version.
struct AssetUrls(std::collections::HashMap<String, String>);

impl AssetUrls {
    fn read(dir: &std::path::Path) -> AssetUrls {
        use std::hash::{Hash, Hasher};
        let mut urls = std::collections::HashMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(d) = pending.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if let (Ok(bytes), Ok(rel)) = (std::fs::read(&path), path.strip_prefix(dir))
                {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    bytes.hash(&mut h);
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let url = format!("/assets/{rel}?v={:08x}", h.finish() as u32);
                    urls.insert(rel, url);
                }
            }
        }
        AssetUrls(urls)
    }
}

impl tera::Function for AssetUrls {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("asset() needs path=\"…\""))?;
        self.0
            .get(path)
            .map(|url| tera::Value::String(url.clone()))
            .ok_or_else(|| tera::Error::msg(format!("asset(): no file assets/{path}")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

pub fn load(settings: &Settings) -> Result<Tera, TemplateError> {
    let pattern = settings.root.join("templates/**/*");
    let mut tera = Tera::new(&pattern.to_string_lossy()).map_err(|e| {
        let cause = std::error::Error::source(&e)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        TemplateError(format!("{e}{cause}"))
    })?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", crate::i18n::TeraTranslate);
    tera.register_filter("num", crate::i18n::tera_number);
    tera.register_filter("when", crate::i18n::tera_datetime);
    tera.register_filter("money", crate::i18n::tera_money);
    tera.register_filter("readable_on", readable_on);
    tera.register_function("asset", AssetUrls::read(&settings.root.join("assets")));
    Ok(tera)
}
