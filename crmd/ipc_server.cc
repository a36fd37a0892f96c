// The daemon's Unix socket (see ipc_server.h).
#include "crmd/ipc_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>

#include "common/unique_fd.h"

namespace paceline::crmd {
namespace asio = boost::asio;
namespace json = boost::json;
using asio::local::stream_protocol;

namespace {

// Connects to path; returns the fd or -1 with errno set.
int ConnectUnix(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

json::object Error(std::string message) {
  return json::object{{"ok", false}, {"error", std::move(message)}};
}

}  // namespace

class IpcServer::Connection
    : public std::enable_shared_from_this<IpcServer::Connection> {
 public:
  Connection(stream_protocol::socket socket, RequestHandler& handler)
      : socket_(std::move(socket)), handler_(handler), in_(kMaxRequestBytes) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred,
                   &len) == 0) {
      peer_.pid = cred.pid;
      peer_.uid = cred.uid;
    }
  }

  void Read() {
    auto self = shared_from_this();
    asio::async_read_until(
        socket_, in_, '\n',
        [self](const boost::system::error_code& ec, size_t n) {
          if (ec) return;  // EOF, error, or a line over the bound: close
          std::string line(asio::buffers_begin(self->in_.data()),
                           asio::buffers_begin(self->in_.data()) + n - 1);
          self->in_.consume(n);
          self->Handle(line);
          self->Read();
        });
  }

 private:
  void Handle(const std::string& line) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object() || !v.as_object().contains("op") ||
        !v.as_object().at("op").is_string()) {
      Send(Error("request is not a JSON object with a string \"op\""));
      return;
    }
    if (v.as_object().at("op").as_string() == "subscribe") {
      subscribed_ = true;
      Send(json::object{{"ok", true}, {"op", "subscribe"}});
      return;
    }
    auto self = shared_from_this();
    handler_(peer_, v.as_object(), [self](json::object response) {
      self->Send(std::move(response));
    });
  }

 public:
  bool subscribed() const { return subscribed_ && socket_.is_open(); }

  void Send(json::object response) {
    if (!socket_.is_open()) return;
    if (out_.size() >= kMaxQueuedAnswers) {
      Close();  // it does not read its answers
      return;
    }
    bool idle = out_.empty();
    out_.push_back(json::serialize(response) + "\n");
    if (idle) Write();
  }

 public:
  void Close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  void Write() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_.front()),
                      [self](const boost::system::error_code& ec, size_t) {
                        if (ec) return;
                        self->out_.pop_front();
                        if (!self->out_.empty()) self->Write();
                      });
  }

  stream_protocol::socket socket_;
  RequestHandler& handler_;
  asio::streambuf in_;
  std::deque<std::string> out_;
  Peer peer_;
  bool subscribed_ = false;
};

IpcServer::IpcServer(asio::io_context& io, RequestHandler handler)
    : io_(io), handler_(std::move(handler)) {}

IpcServer::~IpcServer() { Stop(); }

Status IpcServer::Listen(const std::string& path) {
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return Status::Invalid("socket path " + path + " is too long");
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code fec;
  if (!dir.empty() && !std::filesystem::exists(dir, fec)) {
    std::filesystem::create_directories(dir, fec);
    if (fec) {
      return Status::Unavailable("cannot create " + dir.string() + ": " +
                                 fec.message());
    }
    chmod(dir.c_str(), 0750);
  }
  if (int fd = ConnectUnix(path); fd >= 0) {
    close(fd);
    return Status::Conflict("another paceline daemon is running on " + path);
  }
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Status::Conflict(path +
                              " exists and is not a socket; refusing "
                              "to replace it");
    }
    unlink(path.c_str());  // a stale socket of a daemon that died
  }
  acceptor_ = std::make_unique<stream_protocol::acceptor>(io_);
  boost::system::error_code ec;
  acceptor_->open(stream_protocol(), ec);
  mode_t old = umask(0177);
  if (!ec) acceptor_->bind(stream_protocol::endpoint(path), ec);
  umask(old);
  if (!ec) acceptor_->listen(64, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + path + ": " +
                               ec.message());
  }
  chmod(path.c_str(), 0600);
  path_ = path;
  Accept();
  return Status::Ok();
}

void IpcServer::Stop() {
  // Live connections hold reads that would keep the io_context running.
  for (auto& weak : connections_) {
    if (auto c = weak.lock()) c->Close();
  }
  connections_.clear();
  if (retry_) retry_->cancel();
  if (!acceptor_) return;
  boost::system::error_code ec;
  acceptor_->close(ec);
  acceptor_.reset();
  if (!path_.empty()) unlink(path_.c_str());
}

void IpcServer::Publish(const json::object& event) {
  std::erase_if(connections_, [](const auto& w) { return w.expired(); });
  for (auto& weak : connections_) {
    auto c = weak.lock();
    if (c && c->subscribed()) c->Send(event);
  }
}

void IpcServer::Accept() {
  acceptor_->async_accept([this](const boost::system::error_code& ec,
                                 stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_) return;
    if (ec) {
      AcceptLater();  // e.g. out of file descriptors: do not spin
      return;
    }
    auto conn = std::make_shared<Connection>(std::move(socket), handler_);
    std::erase_if(connections_, [](const auto& w) { return w.expired(); });
    connections_.push_back(conn);
    conn->Read();
    Accept();
  });
}

void IpcServer::AcceptLater() {
  if (!retry_) retry_ = std::make_unique<asio::steady_timer>(io_);
  retry_->expires_after(std::chrono::milliseconds(100));
  retry_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && acceptor_) Accept();
  });
}

Result<IpcClient> IpcClient::Connect(const std::string& socket_path) {
  IpcClient c;
  c.path_ = socket_path;
  c.fd_ = UniqueFd(ConnectUnix(socket_path));
  if (c.fd_.get() < 0) return c.Unreachable(std::strerror(errno));
  return c;
}

Status IpcClient::Unreachable(const std::string& why) const {
  return Status::Unavailable("cannot reach the paceline daemon at " + path_ +
                             " (" + why + ")");
}

Status IpcClient::Send(const json::object& request) {
  std::string line = json::serialize(request) + "\n";
  for (size_t done = 0; done < line.size();) {
    ssize_t n =
        send(fd_.get(), line.data() + done, line.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Unreachable(std::strerror(errno));
    done += size_t(n);
  }
  return Status::Ok();
}

Result<json::object> IpcClient::Next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (in_.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Status::Unavailable("the paceline daemon at " + path_ +
                                 " did not answer within " +
                                 std::to_string(timeout.count()) + " ms");
    }
    pollfd p{fd_.get(), POLLIN, 0};
    int r = poll(&p, 1, int(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Unreachable(std::strerror(errno));
    if (r == 0) continue;
    ssize_t n = read(fd_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::Unavailable("the paceline daemon at " + path_ +
                                 " closed the connection");
    }
    in_.append(buf, size_t(n));
    if (in_.size() > kMaxRequestBytes * 4) {
      return Status::Corrupt("the daemon's answer is too large");
    }
  }
  size_t nl = in_.find('\n');
  boost::system::error_code ec;
  json::value v = json::parse(std::string_view(in_).substr(0, nl), ec);
  in_.erase(0, nl + 1);
  if (ec || !v.is_object()) {
    return Status::Corrupt("the daemon's answer is not a JSON object");
  }
  return std::move(v.as_object());
}

Status AnswerStatus(const json::object& o) {
  if (!o.contains("ok") || !o.at("ok").is_bool()) {
    return Status::Corrupt("the daemon's answer has no \"ok\"");
  }
  if (o.at("ok").as_bool()) return Status::Ok();
  const json::value* e = o.if_contains("error");
  std::string message =
      e && e->is_string() ? std::string(e->as_string()) : "the daemon refused";
  const json::value* code = o.if_contains("code");
  std::string_view c = code && code->is_string() ? code->as_string() : "";
  if (c == "conflict") return Status::Conflict(message);
  if (c == "unavailable") return Status::Unavailable(message);
  return Status::Invalid(message);
}

Result<json::object> Request(const std::string& socket_path,
                             const json::object& request,
                             std::chrono::milliseconds timeout) {
  PL_ASSIGN_OR_RETURN(IpcClient client, IpcClient::Connect(socket_path));
  PL_RETURN_IF_ERROR(client.Send(request));
  auto answer = client.Next(timeout);
  if (!answer.ok()) {
    if (answer.status().message().ends_with("closed the connection")) {
      return Status::Unavailable(answer.status().message() +
                                 " without answering");
    }
    return answer.status();
  }
  PL_RETURN_IF_ERROR(AnswerStatus(*answer));
  return std::move(*answer);
}

}  // namespace paceline::crmd
