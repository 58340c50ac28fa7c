import ArgumentParser
extension RBACGraphCommand {
    struct WhoCan: ParsableCommand {}
    struct CanI: ParsableCommand {}
    struct Stats: ParsableCommand {}
}
