// CSV reading of label/notes files: quotes, embedded newlines, CRLF, BOM, comment lines.
#include "cxr/core/csv.h"

#include <gtest/gtest.h>

using namespace cxr::core;

TEST(Csv, QuotedFieldsCrlfBomAndComments) {
  const std::string text =
      "\xEF\xBB\xBF# Decision support only\r\nPath,Notes\r\na.dcm,\"fever, cough\"\r\n\"b \"\"x\"\".dcm\",\"line1\nline2\"\r\n\r\nc.png,\n";
  auto t = parse_csv(text, "notes.csv");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->header, (std::vector<std::string>{"path", "notes"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0][1], "fever, cough");
  EXPECT_EQ(t->rows[1][0], "b \"x\".dcm");
  EXPECT_EQ(t->rows[1][1], "line1\nline2");
  EXPECT_EQ(t->rows[2][0], "c.png");
  EXPECT_EQ(t->rows[2][1], "");
  EXPECT_EQ(t->line_numbers[2], 7);
  EXPECT_EQ(t->column("notes"), 1);
  EXPECT_EQ(t->column("label"), -1);
}

TEST(Csv, ErrorsAndQuoting) {
  auto bad = parse_csv("path,notes\na,\"unterminated\n", "x.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("x.csv: line 2"), std::string::npos);
  EXPECT_FALSE(parse_csv("", "empty.csv").ok());
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  auto round = parse_csv("v\n" + csv_field("x,\"y\"\nz") + "\n", "r.csv");
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->rows.at(0).at(0), "x,\"y\"\nz");
}
