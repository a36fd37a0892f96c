// Configuration replication among the members of a view (see cib_sync.h).
#include "crmd/cib_sync.h"

#include <algorithm>

#include "cib/store.h"

namespace paceline::crmd {
namespace json = boost::json;

namespace {

json::object Refusal(std::string_view code, std::string message) {
  return json::object{{"ok", false}, {"code", code}, {"error", message}};
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace

json::object VersionsJson(const cib::Versions& v) {
  return json::object{{"admin_epoch", v.admin_epoch},
                      {"epoch", v.epoch},
                      {"num_updates", v.num_updates}};
}

std::optional<cib::Versions> ParseVersions(const json::value* v) {
  if (v == nullptr || !v->is_object()) return std::nullopt;
  const json::object& o = v->as_object();
  cib::Versions out;
  for (auto [key, field] : {std::pair{"admin_epoch", &out.admin_epoch},
                            std::pair{"epoch", &out.epoch},
                            std::pair{"num_updates", &out.num_updates}}) {
    const json::value* f = o.if_contains(key);
    if (f == nullptr || !f->is_int64()) return std::nullopt;
    *field = f->as_int64();
  }
  return out;
}

void CibSync::Send(uint32_t to, json::object body) {
  messages_.push_back(SyncMessage{to, std::move(body)});
}

std::vector<SyncMessage> CibSync::TakeMessages() {
  std::vector<SyncMessage> out;
  out.swap(messages_);
  return out;
}

std::vector<WriteAnswer> CibSync::TakeAnswers() {
  std::vector<WriteAnswer> out;
  out.swap(answers_);
  return out;
}

bool CibSync::synced() const {
  if (!is_dc()) return false;
  for (uint32_t m : members_) {
    if (m == self_) continue;
    auto it = known_.find(m);
    if (it == known_.end() || it->second != replica_.versions()) return false;
  }
  return true;
}

void CibSync::OnView(uint64_t view_id, const std::vector<uint32_t>& members,
                     uint32_t dc) {
  bool was_dc = is_dc();
  uint32_t old_dc = dc_;
  view_ = view_id;
  members_ = members;
  dc_ = view_id != 0 ? dc : 0;
  known_.clear();
  if (was_dc && !is_dc()) {
    for (const PendingWrite& p : pending_) {
      Answer(p.origin, p.remote_id,
             Refusal("unavailable",
                     "this node stopped being the DC before every member "
                     "acknowledged the change; it is committed here but may "
                     "be superseded — check with `crm configure show`"));
    }
    pending_.clear();
    for (const QueuedWrite& w : queued_) {
      Answer(w.origin, w.id,
             Refusal("unavailable",
                     "this node stopped being the DC before taking the "
                     "change; nothing was committed"));
    }
    queued_.clear();
  }
  if (!forwarded_.empty() && dc_ != old_dc) {
    FailForwarded("the DC changed before it answered");
  }
  if (is_dc()) {
    CheckPending();
  } else if (dc_ != 0) {
    SendOffer();
  }
}

void CibSync::OnPeerUp(uint32_t peer) {
  if (!is_dc() && peer == dc_ && dc_ != 0) SendOffer();
}

void CibSync::OnPeerDown(uint32_t peer) {
  if (is_dc()) {
    known_.erase(peer);
  } else if (peer == dc_) {
    FailForwarded("the connection to the DC was lost before it answered");
  }
}

void CibSync::SendOffer() {
  Send(dc_, json::object{{"type", "offer"},
                         {"view", view_},
                         {"versions", VersionsJson(replica_.versions())}});
}

void CibSync::Push(uint32_t to) {
  Send(to, json::object{{"type", "push"},
                        {"cib", cib::SerializeDocument(replica_.doc())}});
}

void CibSync::OnMessage(uint32_t from, const json::object& body) {
  std::string type = Str(body, "type");
  if (is_dc()) {
    if (type == "offer" || type == "ack") {
      if (auto v = ParseVersions(body.if_contains("versions"))) {
        DcOnOffer(from, *v);
      }
    } else if (type == "full") {
      DcOnFull(from, body);
    } else if (type == "write") {
      auto base = ParseVersions(body.if_contains("base"));
      const json::value* id = body.if_contains("id");
      if (base && id && id->is_uint64()) {
        DcWrite(from, id->as_uint64(), *base, Str(body, "cib"));
      } else if (base && id && id->is_int64()) {
        DcWrite(from, uint64_t(id->as_int64()), *base, Str(body, "cib"));
      }
    }
    return;
  }
  if (from != dc_) return;  // only the DC of our view speaks to members
  if (type == "fetch") {
    Send(dc_, json::object{{"type", "full"},
                           {"cib", cib::SerializeDocument(replica_.doc())}});
  } else if (type == "push") {
    Result<cib::Document> doc = cib::ParseDocument(Str(body, "cib"));
    if (doc.ok()) {
      Result<bool> adopted = replica_.Adopt(std::move(*doc));
      if (adopted.ok() && *adopted && on_committed_) on_committed_();
    }
    Send(dc_, json::object{{"type", "ack"},
                           {"versions", VersionsJson(replica_.versions())}});
  } else if (type == "write_result") {
    const json::value* id = body.if_contains("id");
    if (!id || !id->is_number()) return;
    uint64_t request = id->to_number<uint64_t>();
    if (forwarded_.erase(request) == 0) return;
    json::object answer = body;
    answer.erase("type");
    answer.erase("id");
    answers_.push_back(WriteAnswer{request, std::move(answer)});
  }
}

void CibSync::DcOnOffer(uint32_t from, const cib::Versions& v) {
  if (std::find(members_.begin(), members_.end(), from) == members_.end()) {
    return;
  }
  known_[from] = v;
  if (v > replica_.versions()) {
    Send(from, json::object{{"type", "fetch"}});
  } else if (v < replica_.versions()) {
    Push(from);
  }
  CheckPending();
}

void CibSync::DcOnFull(uint32_t from, const json::object& body) {
  Result<cib::Document> doc = cib::ParseDocument(Str(body, "cib"));
  if (!doc.ok()) return;
  Result<bool> adopted = replica_.Adopt(std::move(*doc));
  if (!adopted.ok() || !*adopted) return;
  if (on_committed_) on_committed_();
  for (uint32_t m : members_) {
    if (m != self_ && m != from) Push(m);
  }
  known_[from] = replica_.versions();
  CheckPending();
}

std::string CibSync::RefuseWrite() const { return blocker_; }

constexpr size_t kMaxQueuedWrites = 64;

void CibSync::DcWrite(uint32_t origin, uint64_t id, const cib::Versions& base,
                      const std::string& text, bool dequeued) {
  if (std::string why = RefuseWrite(); !why.empty()) {
    Answer(origin, id,
           Refusal("unavailable", "cannot commit the change: " + why));
    return;
  }
  if (!synced() || (!queued_.empty() && !dequeued)) {
    // The members are still catching up (a new view, or the previous
    // write): take it when they have. (A write taken from the queue goes
    // first: queued behind the rest again, two queued writes would take
    // turns forever.)
    if (queued_.size() >= kMaxQueuedWrites) {
      Answer(origin, id,
             Refusal("unavailable",
                     "cannot commit the change: too many changes are "
                     "waiting for the members to catch up"));
      return;
    }
    queued_.push_back(QueuedWrite{origin, id, base, text});
    return;
  }
  Result<cib::Document> doc = cib::ParseDocument(text);
  if (!doc.ok()) {
    Answer(origin, id, Refusal("invalid", doc.status().message()));
    return;
  }
  Status s = replica_.Replace(base, std::move(*doc));
  if (!s.ok()) {
    Answer(origin, id,
           Refusal(s.code() == StatusCode::kConflict ? "conflict" : "invalid",
                   s.message()));
    return;
  }
  if (on_committed_) on_committed_();
  pending_.push_back(PendingWrite{origin, id, replica_.versions()});
  for (uint32_t m : members_) {
    if (m != self_) Push(m);
  }
  CheckPending();
}

void CibSync::Answer(uint32_t origin, uint64_t id, json::object body) {
  if (origin == self_) {
    answers_.push_back(WriteAnswer{id, std::move(body)});
    return;
  }
  body["type"] = "write_result";
  body["id"] = id;
  Send(origin, std::move(body));
}

void CibSync::TakeQueued() {
  while (is_dc() && synced() && !queued_.empty()) {
    QueuedWrite w = std::move(queued_.front());
    queued_.erase(queued_.begin());
    DcWrite(w.origin, w.id, w.base, w.text, /*dequeued=*/true);
  }
}

void CibSync::CheckPending() {
  std::erase_if(pending_, [&](const PendingWrite& p) {
    for (uint32_t m : members_) {
      if (m == self_) continue;
      auto it = known_.find(m);
      if (it == known_.end() || it->second < p.target) return false;
    }
    Answer(p.origin, p.remote_id,
           json::object{{"ok", true}, {"versions", FormatVersions(p.target)}});
    return true;
  });
  TakeQueued();
}

void CibSync::Write(uint64_t request, const cib::Versions& base,
                    const std::string& cib_text) {
  if (is_dc()) {
    DcWrite(self_, request, base, cib_text);
    return;
  }
  if (dc_ == 0) {
    answers_.push_back(WriteAnswer{
        request, Refusal("unavailable",
                         "cannot commit the change: this node is in no "
                         "membership view with a DC")});
    return;
  }
  forwarded_[request] = dc_;
  Send(dc_, json::object{{"type", "write"},
                         {"id", request},
                         {"base", VersionsJson(base)},
                         {"cib", cib_text}});
}

void CibSync::FailForwarded(const std::string& why) {
  for (const auto& [request, dc] : forwarded_) {
    answers_.push_back(WriteAnswer{
        request, Refusal("unavailable",
                         why + "; the change may or may not be committed — "
                               "check with `crm configure show`")});
  }
  forwarded_.clear();
}

}  // namespace paceline::crmd
