//! The command line's pieces, for `src/main.rs` (binary-only: the library does not declare
//! this module): `args`, the grammar; `commands`, the glue of the longer subcommands.

pub mod args;
pub mod commands;
