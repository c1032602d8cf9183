//! The project's `uniffi-bindgen`: kept in its own crate so its CLI dependencies never reach
//! the shipped library.

fn main() {
    uniffi::uniffi_bindgen_main()
}
