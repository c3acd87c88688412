//! The one place terminal events are read. Key presses (and repeats of a held key) and
//! bracketed pastes come through; key releases, mouse and focus events do not.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event as CtEvent, KeyEvent, KeyEventKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size: draw again.
    Resize,
}

/// Only what the app acts on.
pub fn filter(ev: CtEvent) -> Option<Event> {
    match ev {
        CtEvent::Key(k) if k.kind != KeyEventKind::Release => Some(Event::Key(k)),
        CtEvent::Paste(s) => Some(Event::Paste(s)),
        CtEvent::Resize(_, _) => Some(Event::Resize),
        _ => None,
    }
}

/// Waits up to `timeout` for the first event, then drains everything already pending, so a
/// burst of keys (or a held key) is applied at once and drawn once.
pub fn next_batch(timeout: Duration) -> std::io::Result<Vec<Event>> {
    let mut out = Vec::new();
    let ready = match event::poll(timeout) {
        Ok(r) => r,
        // A signal arriving while waiting: no events, the loop looks at its flags.
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Ok(out),
        Err(e) => return Err(e),
    };
    if !ready {
        return Ok(out);
    }
    loop {
        if let Some(e) = filter(event::read()?) {
            out.push(e);
        }
        if out.len() >= 256 || !event::poll(Duration::ZERO)? {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEventState, KeyModifiers};

    #[test]
    fn releases_are_dropped_presses_and_pastes_kept() {
        let mut k = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        assert!(filter(CtEvent::Key(k)).is_some());
        k.kind = KeyEventKind::Release;
        k.state = KeyEventState::NONE;
        assert_eq!(filter(CtEvent::Key(k)), None);
        assert_eq!(
            filter(CtEvent::Paste("a\nb".into())),
            Some(Event::Paste("a\nb".into()))
        );
        assert_eq!(filter(CtEvent::FocusGained), None);
    }
}
