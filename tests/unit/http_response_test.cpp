// Responses as Go's server writes them, the request-target split, and the route table.
#include <gtest/gtest.h>

#include "core/http/request_target.h"
#include "core/http/response.h"
#include "core/http/response_head.h"
#include "core/http/routes.h"

namespace ferry::core::http {
namespace {

// The head without its Date line (which changes every second).
std::string headWithoutDate(const Response& response, const ResponseFraming& framing) {
  std::string head = serializeHead(response, framing);
  size_t date = head.find("Date: ");
  EXPECT_NE(date, std::string::npos);
  return head.erase(date, head.find("\r\n", date) + 2 - date);
}

TEST(ResponseHead, ErrorAnswerAsGo) {
  Response r;
  r.sendError(404, "404 page not found");
  EXPECT_EQ(r.body(), "404 page not found\n");
  EXPECT_EQ(headWithoutDate(r, {}),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "X-Content-Type-Options: nosniff\r\nContent-Length: 19\r\n\r\n");
}

TEST(ResponseHead, ConnectionHeaderOnlyWhenItDiffersFromTheDefault) {
  Response r;
  r.send(200, "OK", "text/plain; charset=utf-8");
  EXPECT_EQ(headWithoutDate(r, {1, false, false}),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_EQ(headWithoutDate(r, {0, true, false}),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_EQ(headWithoutDate(r, {0, false, false}).find("Connection"), std::string::npos);
}

TEST(ResponseHead, NoContentLengthWhereNoBodyIsAllowed) {
  Response r;
  r.send(204);
  EXPECT_EQ(headWithoutDate(r, {}), "HTTP/1.1 204 No Content\r\n\r\n");
  Response unknown;
  unknown.send(599);
  EXPECT_EQ(headWithoutDate(unknown, {}),
            "HTTP/1.1 599 status code 599\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, DateIsRfc1123) {
  const std::string& date = httpDate();
  ASSERT_EQ(date.size(), 29u) << date;
  EXPECT_EQ(date.substr(25), " GMT");
}

TEST(Response, FirstSendWinsAndPiecesKeepTheirOwner) {
  Response r;
  auto owner = std::make_shared<std::string>("abcdef");
  r.sendPieces(200, {std::string_view(*owner).substr(0, 2), std::string_view(*owner).substr(4)},
               owner, "text/plain");
  r.send(500, "ignored");
  EXPECT_EQ(r.status(), 200);
  EXPECT_TRUE(r.inPieces());
  EXPECT_EQ(r.contentLength(), 4u);
  owner.reset();
  EXPECT_EQ(r.pieces()[1], "ef");  // still alive: the response holds it
}

TEST(Response, SetHeaderReplacesCaseInsensitively) {
  Response r;
  r.setHeader("X-A", "1");
  r.setHeader("x-a", "2");
  ASSERT_EQ(r.headers().size(), 1u);
  EXPECT_EQ(r.headers()[0].second, "2");
}

TEST(RequestTarget, SplitsAsGo) {
  auto p = splitTarget("/a/b?x=1?y");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, std::optional<std::string_view>("x=1?y"));
  EXPECT_EQ(splitTarget("/a").query, std::nullopt);
  EXPECT_EQ(splitTarget("/a?").query, std::optional<std::string_view>(""));
  // No fragment in a request: '#' is part of the path (Go answers 404 for "/-/healthy#x").
  EXPECT_EQ(splitTarget("/-/healthy#x").path, "/-/healthy#x");
  EXPECT_EQ(splitTarget("http://h:1/p/q?z").path, "/p/q");
  EXPECT_EQ(splitTarget("http://h:1").path, "/");
  EXPECT_EQ(splitTarget("*").path, "*");
}

TEST(RouteTable, MethodSpecificRouteWins) {
  RouteTable t;
  t.add(RouteId::kPush,
        Route{[](const Request&, Response& r) { r.send(200); }, "push", std::nullopt});
  t.add(RouteId::kPush, "DELETE",
        Route{[](const Request&, Response& r) { r.send(202); }, "delete", std::nullopt});
  ASSERT_NE(t.find(RouteId::kPush, "PUT"), nullptr);
  EXPECT_STREQ(t.find(RouteId::kPush, "PUT")->label, "push");
  EXPECT_STREQ(t.find(RouteId::kPush, "DELETE")->label, "delete");
  EXPECT_EQ(t.find(RouteId::kHealthy, "GET"), nullptr);
}

TEST(RouterAnswers, AsPushgateway) {
  RouteMatch m;
  m.kind = RouteMatch::Kind::kRedirect;
  m.status = 301;
  m.location = "/a?b=<c>";
  Response get;
  answerRouterMatch(m, "GET", get);
  EXPECT_EQ(get.status(), 301);
  EXPECT_EQ(get.body(), "<a href=\"/a?b=&lt;c&gt;\">Moved Permanently</a>.\n\n");
  Response post;
  answerRouterMatch(m, "POST", post);
  EXPECT_EQ(post.body(), "");
  m.kind = RouteMatch::Kind::kMethodNotAllowed;
  m.allow = "GET, OPTIONS";
  Response not_allowed;
  answerRouterMatch(m, "PUT", not_allowed);
  EXPECT_EQ(not_allowed.status(), 405);
  EXPECT_EQ(not_allowed.body(), "Method Not Allowed\n");
}

}  // namespace
}  // namespace ferry::core::http
