//! Application services shared by the HTTP server and the `duban` command:
//! they combine the reader, the domain and the store into the operations
//! users name (ingest a gazette, confirm a proposal). No HTTP, no terminal.

pub mod demo;
pub mod district;
pub mod excel;
pub mod ingest;
pub mod intake;
pub mod report;
pub mod suggest;
pub mod title;
