//! salesdesk: a keyboard-driven terminal sales desk.
