fn main() -> std::process::ExitCode {
    needlepoint::cli::main()
}
