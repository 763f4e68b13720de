//! Fonts that can draw every client's name. egui's default fonts cover Latin only; the
//! shipped fallbacks add Cyrillic, Greek and Vietnamese (Noto Sans), Arabic (Noto Sans Arabic)
//! and Chinese, Japanese and Korean (Droid Sans Fallback), so "Zoë", "Łukasz", "李雷" and
//! "محمد" never turn into boxes.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

const FALLBACKS: [(&str, &[u8]); 3] = [
    (
        "Noto Sans",
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    ),
    (
        "Noto Sans Arabic",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "Droid Sans Fallback",
        include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
];

/// Adds the fallbacks behind egui's own fonts, for both proportional and monospace text.
pub fn install(ctx: &egui::Context) {
    for (name, bytes) in FALLBACKS {
        ctx.add_font(FontInsert {
            name: name.to_owned(),
            data: FontData::from_static(bytes),
            families: [FontFamily::Proportional, FontFamily::Monospace]
                .into_iter()
                .map(|family| InsertFontFamily {
                    family,
                    priority: FontPriority::Lowest,
                })
                .collect(),
        });
    }
}
