//! Block formation tests.
