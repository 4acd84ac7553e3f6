//! Bulk declarations.
