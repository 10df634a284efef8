//! payermax-spec
