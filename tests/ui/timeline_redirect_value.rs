use b24_widgets::timeline;

fn main() {
    let _ = timeline! {
        blocks: {
            l: link { text: "Open", action: redirect { value: "/crm/deal/details/1/" } },
            e: link { text: "Go", action: layoutEvent("go") },
        },
    };
}
