//! `talus`: the terminal coach. A thin shell over the public Talus API.

use clap::{Parser, Subcommand};
use talus_core::catalog::{Catalog, Drill};

#[derive(Parser)]
#[command(name = "talus", about = "Ankle-mobility coach for runners")]
struct Cli {
    /// Language for drill text (en, de); unknown languages fall back to English.
    #[arg(long, global = true, default_value = "en")]
    locale: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the drills in the catalog, chain by chain.
    Drills,
    /// Show one drill: what it is, how to do it, dosage, cautions and video segments.
    Drill {
        /// Drill id, as listed by `talus drills`.
        id: String,
    },
}

fn main() {
    let cli = Cli::parse();
    if let Err(message) = run(cli) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let catalog = Catalog::embedded().map_err(|e| e.to_string())?;
    match cli.command {
        Command::Drills => {
            for (chain, ids) in catalog.chains() {
                println!("{chain}");
                for id in ids {
                    let drill = catalog.drill(&id).map_err(|e| e.to_string())?;
                    println!("  {:<32} {}", drill.id, name(drill, &cli.locale));
                }
            }
        }
        Command::Drill { id } => {
            let drill = catalog.drill(&id).map_err(|e| e.to_string())?;
            print_drill(drill, &cli.locale);
        }
    }
    Ok(())
}

fn name<'a>(drill: &'a Drill, locale: &str) -> &'a str {
    drill.text(locale).map(|t| t.name.as_str()).unwrap_or("")
}

fn clock(ms: u32) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

fn print_drill(drill: &Drill, locale: &str) {
    let Some(text) = drill.text(locale) else {
        return;
    };
    println!("{}  ({})\n", text.name, drill.id);
    println!("{}\n", text.description);
    println!("Cues:");
    for cue in &text.cues {
        println!("  • {cue}");
    }
    println!("Cautions:");
    for caution in &text.cautions {
        println!("  ! {caution}");
    }
    println!("Dosage levels:");
    for (i, dose) in drill.dosage.iter().enumerate() {
        let work = match (dose.reps, dose.hold_s) {
            (Some(reps), _) => format!("{reps} reps"),
            (_, Some(hold)) => format!("{hold} s hold"),
            _ => String::new(),
        };
        println!(
            "  {i}: {} × {work}, end-range pause {} s, rest {} s",
            dose.sets, dose.end_pause_s, dose.rest_s
        );
    }
    println!("Video {}:", drill.video.asset_id);
    for segment in &drill.video.segments {
        println!(
            "  ▶ {:?} {}–{}",
            segment.kind,
            clock(segment.start_ms),
            clock(segment.end_ms)
        );
    }
}
