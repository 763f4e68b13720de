//! Photos' pictures on screen: textures made on demand from the thumbnails and previews in the
//! database, and freed again. A grid of 500 photos holds textures only for what was drawn in the
//! last frames; a frame decodes only a few new thumbnails (the rest follow in the next frames),
//! so scrolling never stalls.

use std::collections::HashMap;

use crate::domain::PhotoId;
use crate::store::Store;

/// Which picture of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// 256 px, for grids and timelines.
    Thumbnail,
    /// 1600 px, for the compare view and the single view.
    Preview,
}

/// Thumbnails decoded per frame at most (about 1 ms each).
const NEW_THUMBNAILS_PER_FRAME: usize = 6;
/// Thumbnails kept beyond those drawn this frame.
const KEEP_THUMBNAILS: usize = 160;
/// Frames a picture not drawn is kept for.
const KEEP_FRAMES: u64 = 2;

struct Entry {
    texture: Option<egui::TextureHandle>,
    last_drawn: u64,
}

#[derive(Default)]
pub struct PictureCache {
    entries: HashMap<(PhotoId, Size), Entry>,
    frame: u64,
    decoded_this_frame: usize,
    /// Some thumbnail waits for a later frame.
    pending: bool,
}

impl PictureCache {
    /// Called once per frame before drawing: counts the frame and frees what was not drawn.
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        if self.pending {
            ctx.request_repaint();
        }
        self.frame += 1;
        self.decoded_this_frame = 0;
        self.pending = false;
        let frame = self.frame;
        let thumbnails = self.entries.keys().filter(|(_, s)| *s == Size::Thumbnail).count();
        if thumbnails > KEEP_THUMBNAILS || self.entries.keys().any(|(_, s)| *s == Size::Preview) {
            self.entries
                .retain(|_, e| frame.saturating_sub(e.last_drawn) <= KEEP_FRAMES);
        }
    }

    /// The texture of `id`'s picture, made now if the frame has room (else `None` this frame).
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        store: &Store,
        id: PhotoId,
        size: Size,
    ) -> Option<egui::TextureHandle> {
        let frame = self.frame;
        if let Some(e) = self.entries.get_mut(&(id, size)) {
            e.last_drawn = frame;
            return e.texture.clone();
        }
        if size == Size::Thumbnail && self.decoded_this_frame >= NEW_THUMBNAILS_PER_FRAME {
            self.pending = true;
            return None;
        }
        self.decoded_this_frame += 1;
        let bytes = match size {
            Size::Thumbnail => store.photo_thumbnail(id),
            Size::Preview => store.photo_preview(id),
        };
        let texture = bytes
            .ok()
            .flatten()
            .and_then(|b| crate::imaging::decode_rgba(&b).ok())
            .map(|rgba| {
                let image = egui::ColorImage::from_rgba_unmultiplied(
                    [rgba.width() as usize, rgba.height() as usize],
                    rgba.as_raw(),
                );
                ctx.load_texture(
                    format!("photo-{id}-{size:?}"),
                    image,
                    egui::TextureOptions::LINEAR,
                )
            });
        self.entries.insert(
            (id, size),
            Entry {
                texture: texture.clone(),
                last_drawn: frame,
            },
        );
        texture
    }

    /// How many pictures are held (the bench's memory check).
    pub fn held(&self) -> usize {
        self.entries.values().filter(|e| e.texture.is_some()).count()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// The rectangle `size` takes when fitted inside `outer`, centred.
pub fn fit(outer: egui::Rect, size: egui::Vec2) -> egui::Rect {
    if size.x <= 0.0 || size.y <= 0.0 {
        return outer;
    }
    let scale = (outer.width() / size.x).min(outer.height() / size.y);
    egui::Rect::from_center_size(outer.center(), size * scale)
}
