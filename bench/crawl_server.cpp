// Benchmark server for `./run bench crawl`: N bill pages on loopback, each answered after a
// fixed latency, built from the real HTML fixtures (each page made unique by its number
// and a generation counter). ETag/If-None-Match are honoured, as most legislature servers
// do. Control endpoints:
//   /__change?percent=P  new generation for P% of the pages (every (100/P)th page)
//   /__reset             every page back to generation 0, counters to 0
//   /__stats             {"requests":…, "bytes":…} since the last reset (pages only;
//                        bytes of bodies as sent, gzip-compressed for clients that accept it)
// Prints "PORT <n>" and serves until killed.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "gzip.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: crawl_server PAGES LATENCY_MS FIXTURE.html...\n";
    return 2;
  }
  const int pages = std::stoi(argv[1]);
  const int latency_ms = std::stoi(argv[2]);
  std::vector<std::string> templates;
  for (int i = 3; i < argc; ++i) templates.push_back(read_file(argv[i]));

  std::vector<int> generation(static_cast<std::size_t>(pages), 0);
  std::mutex mutex;
  std::atomic<long> requests = 0, bytes = 0;

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  // As production servers do on keep-alive connections; without it Nagle's algorithm and
  // the client's delayed ACK add 40 ms to every response after the first few on a
  // connection, which would punish clients that reuse connections.
  server.set_tcp_nodelay(true);
  server.Get(R"(/bill/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms));
    int index = std::stoi(req.matches[1].str());
    if (index < 0 || index >= pages) {
      res.status = 404;
      return;
    }
    int gen;
    {
      std::lock_guard<std::mutex> lock(mutex);
      gen = generation[static_cast<std::size_t>(index)];
    }
    ++requests;
    std::string etag = "\"p" + std::to_string(index) + "g" + std::to_string(gen) + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    std::string page = templates[static_cast<std::size_t>(index) % templates.size()];
    std::string marker =
        "<p>Bill page " + std::to_string(index) + ", revision " + std::to_string(gen) + ".</p>";
    auto body = page.find("<body");
    body = body == std::string::npos ? 0 : page.find('>', body) + 1;
    page.insert(body, marker);
    // Compressed here with gzip, as most web servers do, and sent through a content
    // provider so that httplib does not compress it again (it would pick brotli at its
    // slowest setting, which measures httplib rather than the clients).
    if (req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
      page = billwatch::test::gzip(page);
      res.set_header("Content-Encoding", "gzip");
    }
    bytes += static_cast<long>(page.size());
    auto shared = std::make_shared<std::string>(std::move(page));
    res.set_content_provider(
        shared->size(), "text/html; charset=utf-8",
        [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          return sink.write(shared->data() + offset, length);
        });
  });
  server.Get("/__change", [&](const httplib::Request& req, httplib::Response& res) {
    int percent = std::stoi(req.get_param_value("percent"));
    int step = percent > 0 ? 100 / percent : pages + 1;
    int changed = 0;
    std::lock_guard<std::mutex> lock(mutex);
    for (int i = 0; i < pages; i += step, ++changed) ++generation[static_cast<std::size_t>(i)];
    res.set_content(std::to_string(changed) + "\n", "text/plain");
  });
  server.Get("/__reset", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    std::fill(generation.begin(), generation.end(), 0);
    requests = 0;
    bytes = 0;
    res.set_content("ok\n", "text/plain");
  });
  server.Get("/__stats", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"requests\":" + std::to_string(requests.load()) +
                        ",\"bytes\":" + std::to_string(bytes.load()) + "}\n",
                    "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::cout << "PORT " << port << std::endl;
  server.listen_after_bind();
}
