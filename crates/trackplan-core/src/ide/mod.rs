//! Pure helpers for editors: what the format expects at a place, and the completion context of a
//! cursor in text that may not parse yet. The language server turns these into LSP answers; nothing
//! here knows about LSP.

pub mod completion_context;
pub mod hover;
pub mod lens;
pub mod links;
pub mod locate;
pub mod outline;
pub mod stub;

pub use completion_context::{completion_context, CompletionContext, Slot};
pub use hover::{card, inline_property_at, inline_property_card};
pub use lens::{lenses, Lens};
pub use links::links;
pub use locate::{expect_at, key_at, Expect, KeyAt};
pub use outline::{outline, OutlineItem, OutlineKind};
pub use stub::{stub_edit, stub_target};
