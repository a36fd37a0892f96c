// CibSync: the replication of the configuration document among the members
// of a view, sans I/O. The DC is the single writer.
//
// - When a view is installed, every member offers its versions to the DC
//   (again whenever its channel to the DC comes back). The DC fetches the
//   document of a member that has a newer one and adopts it, then pushes
//   its document to every member that is behind; members adopt and
//   acknowledge with their versions. The DC is *synced* when every member
//   acknowledged its versions; only then does it accept writes.
// - A write (from this node's CLI, or forwarded by a member) is a
//   compare-and-swap on the versions it was computed from (CibReplica). The
//   DC commits it, pushes it to every member, and answers the writer when
//   every member of the view acknowledged it (members that leave the view
//   are no longer waited for). Nothing is answered before that; a refused
//   write changes nothing anywhere.
// - A non-DC member forwards its CLI's writes to the DC and answers the CLI
//   with the DC's answer; when the DC changes or its channel goes down
//   before the answer, the write fails with "unavailable" (it may or may
//   not have been committed; the CLI reports that).
//
// Messages are JSON objects with a "type"; Outbox() returns what to send
// (to a node id) and what to answer (to a local request id).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crmd/cib_replica.h"

namespace paceline::crmd {

struct SyncMessage {
  uint32_t to = 0;
  boost::json::object body;
};
struct WriteAnswer {
  uint64_t request = 0;      // the local request id
  boost::json::object body;  // {"ok":true,...} or {"ok":false,"code","error"}
};

class CibSync {
 public:
  CibSync(CibReplica& replica, uint32_t self_id)
      : replica_(replica), self_(self_id) {}

  // A new installed view (members sorted; dc among them), or no view.
  void OnView(uint64_t view_id, const std::vector<uint32_t>& members,
              uint32_t dc);
  // The channel to `peer` is up again: resend what it may have missed.
  void OnPeerUp(uint32_t peer);
  void OnPeerDown(uint32_t peer);
  // A message from a peer over the channel.
  void OnMessage(uint32_t from, const boost::json::object& body);

  // A CLI write on this node: base versions and the new document text.
  // The answer comes through Answers() (perhaps at once).
  void Write(uint64_t request, const cib::Versions& base,
             const std::string& cib_text);

  bool is_dc() const { return view_ != 0 && dc_ == self_; }
  // DC: every member acknowledged our versions.
  bool synced() const;
  // Why writes cannot be taken now, or "" (set by the daemon: quorum etc.).
  // A member whose write could not even be sent calls OnPeerDown(dc).
  void SetWriteBlocker(std::string why) { blocker_ = std::move(why); }
  // Called after the document changed (to tell the membership layer the
  // new epoch and to log).
  void OnCommitted(std::function<void()> f) { on_committed_ = std::move(f); }

  std::vector<SyncMessage> TakeMessages();
  std::vector<WriteAnswer> TakeAnswers();

 private:
  struct PendingWrite {
    uint32_t origin = 0;     // node that asked (may be this one)
    uint64_t remote_id = 0;  // the origin's request id
    cib::Versions target;    // committed; answered when all members have it
  };

  void Send(uint32_t to, boost::json::object body);
  void SendOffer();
  void Push(uint32_t to);
  void DcOnOffer(uint32_t from, const cib::Versions& v);
  void DcOnFull(uint32_t from, const boost::json::object& body);
  void DcWrite(uint32_t origin, uint64_t id, const cib::Versions& base,
               const std::string& text, bool dequeued = false);
  void Answer(uint32_t origin, uint64_t id, boost::json::object body);
  void CheckPending();
  void TakeQueued();
  void FailForwarded(const std::string& why);
  std::string RefuseWrite() const;

  CibReplica& replica_;
  uint32_t self_;
  uint64_t view_ = 0;
  uint32_t dc_ = 0;
  std::vector<uint32_t> members_;
  // DC: each member's last acknowledged/offered versions.
  std::map<uint32_t, cib::Versions> known_;
  std::vector<PendingWrite> pending_;
  // Writes that arrived while the members were still catching up with the
  // previous one: taken, in order, as soon as everybody has it.
  struct QueuedWrite {
    uint32_t origin = 0;
    uint64_t id = 0;
    cib::Versions base;
    std::string text;
  };
  std::vector<QueuedWrite> queued_;
  // Member: writes forwarded to the DC, by local request id.
  std::map<uint64_t, uint32_t> forwarded_;  // request -> dc it went to
  std::string blocker_;
  std::function<void()> on_committed_;
  std::vector<SyncMessage> messages_;
  std::vector<WriteAnswer> answers_;
};

boost::json::object VersionsJson(const cib::Versions& v);
std::optional<cib::Versions> ParseVersions(const boost::json::value* v);

}  // namespace paceline::crmd
