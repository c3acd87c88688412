//! Two pipelines in a real terminal (tmux): `P` goes to the renewals board, a renewal moves
//! on there, a sales deal won with `W` opens its renewal, which shows on the renewals board;
//! then the CLI checks the book.

use serde_json::Value;

use crate::support::tmux::*;

const PIPELINES: &str = r#"
[follow_up]
next = "+2d"

[pipelines.sales]
stages = [{ name = "Lead", probability = 10 }, { name = "Proposal", probability = 50 }]
renew = { into = "renewals", after = "11m" }

[pipelines.renewals]
stages = [{ name = "Upcoming", probability = 70 }, { name = "Quoted", probability = 85 }]
"#;

fn stage_of(list: &Value, title: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("no deal {title} in {list:#}"))["stage"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn p_walks_the_pipelines_and_a_win_opens_its_renewal_there() {
    if !tmux_present() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let book = Book::with_config(PIPELINES);
    book.cli(&["contact", "add", "--name", "Ana Souza", "--company", "Acme"]);
    book.cli(&[
        "contact",
        "add",
        "--name",
        "Cy Park",
        "--company",
        "Initech",
    ]);
    book.cli(&[
        "deal",
        "add",
        "--title",
        "Acme rollout",
        "--contact",
        "ana",
        "--value",
        "12000",
    ]);
    book.cli(&[
        "deal",
        "add",
        "--title",
        "Initech support",
        "--contact",
        "cy",
        "--value",
        "5000",
        "--pipeline",
        "renewals",
    ]);

    let t = Tmux::desk(&book);
    t.wait_for("1 Today");
    t.keys(&["2"]);
    t.wait_for("sales 1/2");
    t.wait_for("Lead (1)");

    // The renewals board: Initech support moves on to Quoted.
    t.keys(&["P"]);
    t.wait_for("renewals 2/2");
    t.wait_for("Upcoming (1)");
    t.keys(&[">"]);
    t.wait_for("\"Initech support\" → Quoted");
    t.wait_for("Quoted (1)");

    // Back on sales, Acme is won: its renewal opens in renewals.
    t.keys(&["P"]);
    t.wait_for("sales 1/2");
    t.wait_for("Acme rollout");
    t.keys(&["W"]);
    t.wait_for("renewal deal #3 opened in renewals");
    t.wait_for("No open deals");
    t.keys(&["P"]);
    t.wait_for("renewals 2/2");
    t.wait_for("Renewal: Acme rollout");
    t.wait_for("Upcoming (1)");
    t.keys(&["q"]);
    t.wait_for("$");

    let renewals = book.json(&["deal", "list", "--pipeline", "renewals", "--json"]);
    assert_eq!(stage_of(&renewals, "Initech support"), "Quoted");
    assert_eq!(stage_of(&renewals, "Renewal: Acme rollout"), "Upcoming");
    let sales = book.json(&["deal", "list", "--pipeline", "sales", "--json"]);
    assert_eq!(sales[0]["status"], "won");
}
