//! Talus drill clips: draws each catalog asset's demonstration from the motion keyframes
//! in `core/catalog/motions.json` and, with the `encode` feature, encodes it to H.264 in
//! MP4 with a poster, WebVTT captions per locale and a manifest the app validates against
//! the catalog. Never linked into the phone library.

pub mod captions;
pub mod draw;
pub mod figure;
pub mod sheet;
pub mod timeline;

#[cfg(feature = "encode")]
pub mod check;
#[cfg(feature = "encode")]
pub mod encode;
#[cfg(feature = "encode")]
pub mod pack;

pub use draw::{draw_frame, FrameAt, FrameState, Scene};
pub use timeline::{frame_at_ms, Timeline};

/// Errors from rendering, encoding or checking a clip.
#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    /// Catalog or motion data failed to load or validate.
    #[error(transparent)]
    Data(#[from] talus_core::catalog::clips::ClipsError),
    #[error(transparent)]
    Catalog(#[from] talus_core::catalog::CatalogError),
    /// The asset id is in neither the catalog nor the motion data.
    #[error("unknown asset {0:?}")]
    UnknownAsset(String),
    /// Width, height, fps or bitrate the encoder cannot use.
    #[error("bad render settings: {0}")]
    Settings(String),
    /// The H.264 encoder or the MP4 muxer failed.
    #[error("encoding failed: {0}")]
    Encode(String),
    /// A rendered file does not have the structure the manifest promises.
    #[error("clip check failed: {0}")]
    Check(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}
