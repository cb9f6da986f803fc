use b24_widgets::layout;

fn main() {
    let _ = layout! {
        primaryButton: "Save",
    };
}
