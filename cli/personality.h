// The binary's entry point: one executable, three personalities chosen by
// the name it was started as (argv[0]): `crm` is the crm shell, `crm_mon`
// the status monitor, anything else the `paceline` command with
// subcommands (`paceline crm ...` and `paceline mon ...` are the same
// shells).
#pragma once

namespace paceline::cli {

int Main(int argc, char** argv);

}  // namespace paceline::cli
