// `paceline cluster`: cluster-level setup commands.
//
//   paceline cluster setup NAME NODE=ADDR[,ADDR2]... [--dir DIR] [--force]
//
// Writes DIR/cluster.yaml (commented; node ids 1..N in argument order; a
// second address is a redundant link; two nodes get two_node and
// wait_for_all) and DIR/authkey (32 random bytes, mode 0400), each
// atomically. The file is validated by the same parser the daemon uses
// before anything is written. Existing files are refused unless --force.
// DIR defaults to /etc/paceline and is created if missing.
//
// Exit codes: 0 written, 2 usage (bad name, address, option), 1 refused
// (files exist) or an I/O failure.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace paceline::cli {

// args: the words after `cluster`.
int RunCluster(const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err);

}  // namespace paceline::cli
