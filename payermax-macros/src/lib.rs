//! payermax-macros: typed bindings generated from the payout spec (see issue: macros).
