//! Office formats as bytes, with no file or network access: Excel
//! workbooks written and read ([`xlsx`]), and the sheets offices keep in
//! them read into plain rows with a reason for every row refused: task
//! lists ([`tasklist`]) and key-project lists ([`projects`]).

pub mod dates;
pub mod docx;
pub mod projects;
pub mod table;
pub mod tasklist;
pub mod xlsx;
