use std::process::ExitCode;

fn main() -> ExitCode {
    relais::cli::main()
}
