//! Review and points.
