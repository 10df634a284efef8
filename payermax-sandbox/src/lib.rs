//! payermax-sandbox
