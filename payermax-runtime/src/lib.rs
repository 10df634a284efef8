//! payermax-runtime
