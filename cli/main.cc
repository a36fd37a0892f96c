// Composition root of the one binary: picks the personality from argv[0].
#include "cli/personality.h"

int main(int argc, char** argv) { return paceline::cli::Main(argc, argv); }
