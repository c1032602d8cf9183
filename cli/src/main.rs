//! `talus`: the terminal coach. A thin shell over the public Talus API.

use clap::{Parser, Subcommand};
use talus_core::catalog::Catalog;

#[derive(Parser)]
#[command(name = "talus", about = "Ankle-mobility coach for runners")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the drills in the catalog.
    Drills,
}

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Command::Drills => match Catalog::embedded() {
            Ok(catalog) => {
                for drill in catalog.drills() {
                    let name = drill.text("en").map(|t| t.name.as_str()).unwrap_or("");
                    println!("{:<32} {}", drill.id, name);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        },
    }
}
