//! One protocol for every screen: a screen is a `Page` (its keymap contexts, its keys, a
//! paste, its drawing, its worker's answers, reading its data again), and it changes the rest
//! of the app only by asking, through the `Cx` it is handed: say this, open that popup, go
//! there. The app does what was asked once the screen has returned, in order, so no screen
//! holds the app (or another screen) while it handles a key.
//!
//! Adding a screen: its file under `screens/` (the state and its `impl Page`) and its line in
//! the `screens!` table; a `Target` and its arm in `Screen::open` when other screens open it. Popups follow the same shape through
//! `popups::Dialog`.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::error::{Error, Result};
use crate::ops::Desk;
use crate::tui::action::Action;
use crate::tui::app::Request;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::nav::Target;
use crate::tui::popups::{Popup, View};
use crate::tui::screens::call::CallScreen;
use crate::tui::screens::company::CompanyScreen;
use crate::tui::screens::contact::ContactScreen;
use crate::tui::screens::contacts::ContactsScreen;
use crate::tui::screens::deal::DealScreen;
use crate::tui::screens::pipeline::PipelineScreen;
use crate::tui::screens::reports::ReportsScreen;
use crate::tui::screens::today::TodayScreen;

/// Declares `Screen` from the table of screens that hold their own state, with the two
/// lookups every caller goes through, so a new screen is one line here.
macro_rules! screens {
    ($($name:ident($page:ty),)*) => {
        /// The screen that is open. Today and Contacts keep their state in the app
        /// (`App::today`, `App::contacts`) across visits; the others hold it here.
        #[derive(Debug)]
        pub enum Screen {
            Today,
            Contacts,
            $($name(Box<$page>),)*
        }

        /// How the board is looked at, kept while other screens are open: the closed deals shown
/// (`C`) and the pipeline on screen (`P`; none: the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardView {
    pub closed: bool,
    pub pipeline: Option<String>,
}

impl Screen {
            /// Every kind of screen, by name.
            pub const KINDS: &[&str] = &["Today", "Contacts", $(stringify!($name),)*];

            /// This screen's kind, as `KINDS` names it.
            pub fn kind(&self) -> &'static str {
                match self {
                    Screen::Today => "Today",
                    Screen::Contacts => "Contacts",
                    $(Screen::$name(_) => stringify!($name),)*
                }
            }

            /// Each screen's page. Today and Contacts keep their state in the app, which
            /// hands it in.
            pub fn page<'a>(
                &'a self,
                today: &'a TodayScreen,
                contacts: &'a ContactsScreen,
            ) -> &'a dyn Page {
                match self {
                    Screen::Today => today,
                    Screen::Contacts => contacts,
                    $(Screen::$name(p) => &**p,)*
                }
            }

            /// The same, for changing the page.
            pub fn page_mut<'a>(
                &'a mut self,
                today: &'a mut TodayScreen,
                contacts: &'a mut ContactsScreen,
            ) -> &'a mut dyn Page {
                match self {
                    Screen::Today => today,
                    Screen::Contacts => contacts,
                    $(Screen::$name(p) => &mut **p,)*
                }
            }
        }
    };
}

// The table: a screen's variant and the type answering `Page` for it.
screens! {
    Contact(ContactScreen),
    Call(CallScreen),
    Company(CompanyScreen),
    Pipeline(PipelineScreen),
    Deal(DealScreen),
    Reports(ReportsScreen),
}

impl Screen {
    /// Opens the screen a target names.
    pub fn open(target: Target, desk: &mut Desk, board: &BoardView) -> Result<Screen> {
        Ok(match target {
            Target::Contacts => Screen::Contacts,
            Target::Contact(id) => Screen::Contact(Box::new(ContactScreen::open(desk, id)?)),
            Target::Note {
                contact_id,
                note_id,
            } => {
                let mut c = ContactScreen::open(desk, contact_id)?;
                if let Some(i) = c.view.notes.iter().position(|n| n.id == note_id) {
                    c.note = i;
                }
                Screen::Contact(Box::new(c))
            }
            Target::Company(id) => Screen::Company(Box::new(CompanyScreen::open(desk, id)?)),
            Target::CompanyAt {
                company_id,
                contact_id,
            } => {
                let mut co = CompanyScreen::open(desk, company_id)?;
                if let Some(i) = co.view.contacts.iter().position(|c| c.id == contact_id) {
                    co.selected = i;
                }
                Screen::Company(Box::new(co))
            }
            // The deal's own page; `Back` returns to where it was opened from.
            Target::Deal { deal_id, .. } => Screen::Deal(Box::new(
                DealScreen::open(desk, deal_id, None).map_err(|(e, _)| e)?,
            )),
            Target::Board => Screen::Pipeline(Box::new(PipelineScreen::open_with(desk, board)?)),
            Target::Reports => Screen::Reports(Box::new(ReportsScreen::open(desk)?)),
            Target::Call => Screen::Call(Box::new(CallScreen::open(desk)?)),
        })
    }

    /// Opens deal `id` over this screen, which its `Back` returns to; on failure this
    /// screen comes back with the error.
    pub fn open_deal_over(
        self,
        desk: &mut Desk,
        id: i64,
    ) -> std::result::Result<Screen, (Error, Screen)> {
        match DealScreen::open(desk, id, Some(Box::new(self))) {
            Ok(d) => Ok(Screen::Deal(Box::new(d))),
            Err((e, back)) => Err((e, back.map_or(Screen::Today, |b| *b))),
        }
    }
}

/// What a page asks of the app; done in order once the page has returned.
#[derive(Debug)]
pub enum Effect {
    Say(String),
    Fail(Error),
    Popup(Popup),
    /// Open an item; `Back` returns here.
    Go(Target),
    /// Open an item in place of this screen, nothing kept to go back to.
    Enter(Target),
    Back,
    /// Read what the open screen shows again.
    Reload,
    Request(Request),
    /// Show this screen as it is, in place of the current one.
    Show(Screen),
    /// Open a deal's page over this screen (`Back` returns to it as it was).
    OpenDeal(i64),
    /// Take this follow-up off Today's lists at once; it shows again when they are read.
    Forget(i64),
    /// Today's lists were changed from the open screen: read them (only) again.
    TodayChanged,
    /// Item `id` (a deal, the follow-up call mode logged) changed: the page shows it as it
    /// is now (`Page::changed`).
    Changed(i64),
    /// Read or write on the desk's queue (a book on a server; at once otherwise), then do
    /// what the job asks. `true`: the keys typed meanwhile wait for it.
    Later(bool, crate::tui::worker::Deferred<Vec<Effect>>),
}

/// What a page is handed: the book, the keys, the board's sticky setting, and where to put
/// what it asks of the app.
pub struct Cx<'a> {
    pub desk: &'a mut Desk,
    pub keymap: &'a Keymap,
    /// How the board is looked at (`C`, `P`), kept across screens.
    pub board: &'a mut BoardView,
    /// There is a screen to go back to.
    pub can_go_back: bool,
    effects: Vec<Effect>,
}

impl<'a> Cx<'a> {
    pub fn new(
        desk: &'a mut Desk,
        keymap: &'a Keymap,
        board: &'a mut BoardView,
        can_go_back: bool,
    ) -> Self {
        Cx {
            desk,
            keymap,
            board,
            can_go_back,
            effects: Vec::new(),
        }
    }

    pub fn ask(&mut self, e: Effect) {
        self.effects.push(e);
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.ask(Effect::Say(text.into()));
    }

    pub fn fail(&mut self, e: Error) {
        self.ask(Effect::Fail(e));
    }

    pub fn popup(&mut self, p: Popup) {
        self.ask(Effect::Popup(p));
    }

    pub fn go(&mut self, t: Target) {
        self.ask(Effect::Go(t));
    }

    pub fn reload(&mut self) {
        self.ask(Effect::Reload);
    }

    /// A write (or a read) of the key's, done on the desk's queue on a server book and at
    /// once otherwise; what it returns is then asked of the app in order.
    pub fn later(&mut self, job: impl FnOnce(&mut Desk) -> Vec<Effect> + Send + 'static) {
        self.ask(Effect::Later(false, crate::tui::worker::Deferred::new(job)));
    }

    /// As `later`, for a job whose answer decides where the next keys go (a popup it opens):
    /// the keys typed meanwhile wait for it.
    pub fn later_held(&mut self, job: impl FnOnce(&mut Desk) -> Vec<Effect> + Send + 'static) {
        self.ask(Effect::Later(true, crate::tui::worker::Deferred::new(job)));
    }

    /// What was asked, in order.
    pub fn into_effects(self) -> Vec<Effect> {
        self.effects
    }
}

/// A key the page took before the keymap saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The page did what the key means.
    Yes,
    /// The keymap and the global keys get it.
    No,
}

/// One screen's side of the protocol.
pub trait Page {
    /// The keymap contexts a key is looked up in, most specific first (the hint bar shows
    /// the same).
    fn contexts(&self) -> Vec<Context>;

    /// The tab lit in the tab bar, if the screen is one of them.
    fn tab(&self) -> Option<&'static str> {
        None
    }

    /// What the tab bar says after the tabs (`› Ada Lovelace`).
    fn crumb(&self) -> Option<String> {
        None
    }

    /// Where `Tab` goes from here.
    fn next_tab(&self) -> Action;

    /// A key before the keymap: a field being typed in takes it.
    fn key(&mut self, _key: &KeyEvent, _cx: &mut Cx) -> Taken {
        Taken::No
    }

    /// An action of the keymap; `Ok(false)` leaves it to the app.
    fn act(&mut self, action: Action, cx: &mut Cx) -> Result<bool>;

    /// A key the keymap has no action for, here or anywhere: a filter being typed takes it.
    fn unbound(&mut self, _key: &KeyEvent, _cx: &mut Cx) -> Taken {
        Taken::No
    }

    /// A bracketed paste, whole into the focused field; ignored where none has focus.
    fn paste(&mut self, _text: &str, _cx: &mut Cx) {}

    /// The text `$EDITOR` gave back.
    fn edited(&mut self, _text: &str) {}

    /// The hint bar's keys while a field is typed in (instead of the contexts' hints).
    fn field_hints(&self) -> Option<&'static [Action]> {
        None
    }

    fn draw(&self, frame: &mut Frame, area: Rect, v: &View);

    /// Reads what the screen shows again; the selection stays on the same item. A screen
    /// whose item is gone asks to be replaced (`Effect::Show`).
    fn reload(&mut self, cx: &mut Cx) -> Result<()>;

    /// Item `id` was changed by a key here: show it as it is now. `read`: read it here;
    /// else (a server book) only what is in memory changes and a reload is asked, which
    /// reads on the desk's queue.
    fn changed(&mut self, _id: i64, read: bool, cx: &mut Cx) -> Result<()> {
        if !read {
            cx.reload();
            return Ok(());
        }
        self.reload(cx)
    }

    /// Its item is gone (merged, purged elsewhere): `Back` skips it.
    fn gone(&mut self, _desk: &mut Desk) -> bool {
        false
    }

    /// The worker's answer is still awaited. (Today's and the contacts' workers answer
    /// while another screen is open, so the app asks those two itself.)
    fn pending(&self) -> bool {
        false
    }

    /// Picks up the worker's answer, if it came.
    fn poll(&mut self) -> Result<()> {
        Ok(())
    }

    /// The contact the keys act on, with the deal: who `n` and `f` are for.
    fn focus(&self) -> Option<(i64, String, Option<i64>)> {
        None
    }

    /// A popup opened here saved.
    fn popup_saved(&mut self, _closed: &Popup) {}
}

#[cfg(test)]
#[path = "screen_tests.rs"]
mod tests;
