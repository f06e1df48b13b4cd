// Notes: encodings never crash, sentences/chunks lose nothing, negation is read, and the lexical
// evidence of a stated finding is positive while a denied one is negative.
#include "cxr/model/findings_notes.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace cxr::model;

namespace {

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

int word_count(const std::string& s) {
  std::istringstream in(s);
  int n = 0;
  std::string w;
  while (in >> w) ++n;
  return n;
}

}  // namespace

TEST(NotesText, BomCrlfLatin1AndControlBytesBecomeCleanUtf8) {
  EXPECT_EQ(sanitize_note_text("\xEF\xBB\xBFline one\r\nline two\rthree"), "line one\nline two\nthree");
  EXPECT_EQ(sanitize_note_text("fi\xE8vre 38.5\xB0""C"), "fi\xC3\xA8vre 38.5\xC2\xB0""C");  // Latin-1 -> UTF-8
  EXPECT_EQ(sanitize_note_text("a\x01\x02" "b"), "a  b");
  EXPECT_EQ(sanitize_note_text("\xED\xA0\x80x"), "\xC3\xAD\xC2\xA0\xC2\x80x");  // surrogate: not UTF-8
  EXPECT_EQ(sanitize_note_text("폐렴 의심"), "폐렴 의심");                         // valid UTF-8 kept
  // Every byte value, in every position: output is valid UTF-8, nothing throws.
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (int shift = 0; shift < 4; ++shift) EXPECT_TRUE(valid_utf8(sanitize_note_text(all.substr(shift))));
  EXPECT_TRUE(valid_utf8(sanitize_note_text(std::string("\xF0\x9F\x98", 3))));  // truncated 4-byte sequence
}

TEST(NotesText, SentencesSplitOnPunctuationAndLinesButNotDecimalsOrAbbreviations) {
  const auto s = split_sentences("Fever 38.5 C for 3 days. Dr. Kim saw him; cough e.g. at night!\nNo chest pain?  ");
  ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(s);
  EXPECT_EQ(s[0], "Fever 38.5 C for 3 days.");
  EXPECT_EQ(s[1], "Dr. Kim saw him;");
  EXPECT_EQ(s[2], "cough e.g. at night!");
  EXPECT_EQ(s[3], "No chest pain?");
  EXPECT_TRUE(split_sentences(" \n\n ").empty());
}

TEST(NotesText, LongSentencesAreChunkedNeverCut) {
  std::string longest;
  for (int i = 0; i < 50; ++i) longest += "word" + std::to_string(i) + " ";
  std::vector<std::string> warnings;
  const auto chunks = chunk_notes({"short one.", longest}, 16, word_count, &warnings);
  ASSERT_EQ(chunks.size(), 1u + 4u);  // 50 words / 16 per chunk
  EXPECT_EQ(chunks[0].text, "short one.");
  std::string rejoined;
  for (std::size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_LE(word_count(chunks[i].text), 16);
    EXPECT_EQ(chunks[i].sentence, 1);
    EXPECT_EQ(chunks[i].parts, 4);
    rejoined += chunks[i].text + " ";
  }
  EXPECT_EQ(rejoined, longest);  // nothing lost
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("split into 4 parts"), std::string::npos);
  // A single "word" longer than the budget (counted in bytes here) is hard-split, not dropped.
  const auto bytes = [](const std::string& s) { return static_cast<int>(s.size()); };
  const auto hard = chunk_notes({std::string(40, 'x')}, 8, bytes, nullptr);
  std::size_t total = 0;
  for (const auto& c : hard) {
    total += c.text.size();
    EXPECT_LE(c.text.size(), 8u);
  }
  EXPECT_EQ(total, 40u);
}

TEST(Negation, ReadsCommonRadiologyPhrasing) {
  const std::vector<std::string> effusion = {"pleural effusion", "effusion"};
  const std::vector<std::string> pneumonia = {"pneumonia"};
  const std::vector<std::string> ptx = {"pneumothorax"};
  EXPECT_TRUE(find_mention("No pneumothorax.", ptx).negated);
  EXPECT_FALSE(find_mention("There is a small right pleural effusion.", effusion).negated);
  EXPECT_TRUE(find_mention("There is a small right pleural effusion.", effusion).mentioned);
  EXPECT_TRUE(find_mention("No effusion, but right lower lobe pneumonia.", effusion).negated);
  EXPECT_FALSE(find_mention("No effusion, but right lower lobe pneumonia.", pneumonia).negated);
  EXPECT_TRUE(find_mention("No evidence of focal consolidation, effusion or pneumothorax", ptx).negated);
  EXPECT_TRUE(find_mention("Patient denies history of pneumonia", pneumonia).negated);
  EXPECT_TRUE(find_mention("Pneumonia has resolved.", pneumonia).negated);
  EXPECT_TRUE(find_mention("Pleural effusions are absent", effusion).negated);
  const TermMention unsure = find_mention("Cannot exclude early pneumonia.", pneumonia);
  EXPECT_TRUE(unsure.mentioned && unsure.uncertain && !unsure.negated);
  EXPECT_TRUE(find_mention("Pneumonia?", pneumonia).uncertain);
  EXPECT_FALSE(find_mention("Clear lungs.", pneumonia).mentioned);
  EXPECT_FALSE(find_mention("pneumonias and effusions", {"pneumothorax"}).mentioned);
  EXPECT_TRUE(find_mention("Bilateral effusions.", effusion).mentioned);  // plural
}

// A narrative names a disease in roles other than a diagnosis of this patient: a test (the result
// decides), an exposure (weaker, and a denied contact denies nothing), a history, a co-infection.
TEST(Negation, ReadsTestsExposuresHistoryAndCoinfection) {
  const std::vector<std::string> covid = {"covid-19", "sars-cov-2", "coronavirus"};
  const TermMention positive = find_mention("SARS-CoV-2 RNA polymerase chain reaction tests from nose and throat "
                                            "viral swabs were positive.", covid);
  EXPECT_TRUE(positive.mentioned && !positive.negated && !positive.uncertain);
  EXPECT_DOUBLE_EQ(positive.weight, 1.0);
  EXPECT_TRUE(find_mention("He tested positive for COVID-19.", covid).weight == 1.0);
  const TermMention negative = find_mention("Discharged after two negative swabs for SARS-CoV-2.", covid);
  EXPECT_TRUE(negative.negated);
  EXPECT_DOUBLE_EQ(negative.weight, 1.0);
  // No result: the negation is of the test, not of the disease.
  EXPECT_DOUBLE_EQ(find_mention("No coronavirus test was performed.", covid).weight, 0.0);
  EXPECT_DOUBLE_EQ(find_mention("Her husband was not tested for COVID-19.", covid).weight, 0.0);
  EXPECT_DOUBLE_EQ(find_mention("He was tested for COVID-19 on admission.", covid).weight, 0.0);
  // Exposure: affirmed is half a claim, denied is none.
  EXPECT_DOUBLE_EQ(find_mention("Recent travel from endemic COVID-19 region.", covid).weight, 0.5);
  EXPECT_DOUBLE_EQ(find_mention("Denies contact with COVID-19 positive patients.", covid).weight, 0.0);
  EXPECT_DOUBLE_EQ(find_mention("COVID-19 pneumonia.", covid).weight, 1.0);
  // History and co-infection flags.
  const std::vector<std::string> tb = {"tuberculosis"}, bacterial = {"bacterial pneumonia", "bacterial"};
  EXPECT_TRUE(find_mention("History of tuberculosis in 1990.", tb).historical);
  EXPECT_FALSE(find_mention("Miliary tuberculosis.", tb).historical);
  EXPECT_TRUE(find_mention("Suspected bacterial superinfection.", bacterial).coexisting);
  // The strongest claim wins when a term recurs: a result over a test without one.
  const TermMention both = find_mention("He was tested for COVID-19; PCR for COVID-19 was positive.", covid);
  EXPECT_TRUE(both.weight == 1.0 && !both.negated);
  // A pseudo-cue that is uncertain: "suspicion".
  EXPECT_TRUE(find_mention("Should raise suspicion for PCP.", {"pcp"}).uncertain);
}

// Competing diagnoses: a narrative that affirms a diagnosis that would explain the picture instead
// lowers the finding; a denied, historical or coexisting one, or a chunk that names the finding
// itself, does not.
TEST(NotesEvidence, AffirmedCompetingDiagnosisLowersTheFinding) {
  auto set = parse_prompt_set(R"({"findings":[
    {"id":"covid19","name":{"en":"COVID-19"},"code":{"scheme":"SCT","value":"840539006","meaning":"COVID-19"},
     "positive":["covid-19"],"negative":["no covid-19"],"terms":["covid-19","sars-cov-2"],
     "competing":["SARS","pneumocystis","for pcp","legionella","bacterial pneumonia"]}]})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->findings[0].competing.front(), "sars");  // lower-cased like terms
  auto d = directions_from_embeddings(set.value(), {1, 0, 0, 0, 0, 1, 0, 0}, 4, 10.0f);
  ASSERT_TRUE(d.ok());
  const std::vector<float> orthogonal = {0, 0, 1, 0};  // no semantic evidence either way
  auto score = [&](const char* text) {
    return score_notes(set.value(), d.value(), 0, {NoteChunk{text, 0, 0, 1}}, orthogonal);
  };
  const NotesScore sars = score("SARS in a 73-year-old woman who presented 17 days after exposure.");
  EXPECT_DOUBLE_EQ(sars.logit, -2.0);
  ASSERT_EQ(sars.evidence.size(), 1u);
  EXPECT_EQ(sars.evidence[0].competing, "sars");
  EXPECT_FALSE(sars.evidence[0].negated);
  EXPECT_DOUBLE_EQ(score("Urinary Legionella antigen was positive.").logit, -2.0);
  EXPECT_DOUBLE_EQ(score("Should raise suspicion for PCP.").logit, -1.0);  // uncertain: halved
  EXPECT_DOUBLE_EQ(score("Bronchial washing for pneumocystis polymerase chain reaction was negative.").logit, 0.0);
  EXPECT_DOUBLE_EQ(score("No evidence of bacterial pneumonia.").logit, 0.0);
  EXPECT_DOUBLE_EQ(score("History of pneumocystis pneumonia in 2015.").logit, 0.0);
  EXPECT_DOUBLE_EQ(score("Antibiotics for suspected bacterial pneumonia superinfection.").logit, 0.0);
  EXPECT_DOUBLE_EQ(score("SARS-CoV-2 pneumonia.").logit, 2.0);  // SARS-CoV-2 is the finding, not SARS
  EXPECT_DOUBLE_EQ(score("COVID-19 with Legionella co-infection.").logit, 2.0);
  EXPECT_DOUBLE_EQ(score("Tested for COVID-19 and influenza.").logit, 0.0);
  EXPECT_DOUBLE_EQ(score("On prophylaxis for PCP.").logit, 0.0);  // prevention is not a diagnosis
}

// The shipped prompt set's word lists, read on typical narrative sentences (no semantic evidence: the
// chunk embedding is zero, so only the lexical rules act). "PCP" alone is ambiguous (primary care
// physician) and must not argue against COVID-19.
TEST(NotesEvidence, ShippedPromptSetReadsNarrativesOfCompetingCauses) {
  auto set = load_prompt_set(std::string(CXR_SOURCE_DIR) + "/resources/prompts/default.json");
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::size_t phrasings = 0;
  for (const auto& f : set->findings) phrasings += f.positive.size() + f.negative.size();
  const int dim = 8;
  std::vector<float> embeds(phrasings * dim, 0.0f);
  for (std::size_t k = 0; k < phrasings; ++k) embeds[k * dim + k % dim] = 1.0f;
  auto d = directions_from_embeddings(set.value(), embeds, dim, 10.0f);
  ASSERT_TRUE(d.ok()) << d.error().message;
  const std::vector<float> zero(dim, 0.0f);
  auto logit = [&](const char* finding, const char* text) {
    return score_notes(set.value(), d.value(), set->index_of(finding), {NoteChunk{text, 0, 0, 1}}, zero).logit;
  };
  EXPECT_DOUBLE_EQ(logit("covid19", "Seen by her PCP last week."), 0.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "Should raise suspicion for PCP."), -1.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "Frontal radiograph in a 23-year-old man with SARS."), -2.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "SARS CoV 2 infection confirmed."), 2.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "Influenza A/B RT-PCR were negative."), 0.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "History of tuberculosis."), 0.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "ARDS secondary to Legionella pneumonia."), -2.0);  // names the cause
  EXPECT_DOUBLE_EQ(logit("covid19", "Over the past week she developed influenza."), -2.0);
  EXPECT_DOUBLE_EQ(logit("covid19", "Lobar pneumonia with Streptococcus pneumoniae in blood cultures."), -2.0);
  EXPECT_DOUBLE_EQ(logit("bacterial_pneumonia", "COVID-19 pneumonia."), -2.0);
  EXPECT_DOUBLE_EQ(logit("viral_pneumonia", "Klebsiella pneumoniae was isolated from sputum culture."), -2.0);
  EXPECT_DOUBLE_EQ(logit("viral_pneumonia", "Viral pneumonia with bacterial superinfection."), 2.0);
  // A specific cause raises its class when found, but its absence says nothing about the class.
  EXPECT_DOUBLE_EQ(logit("viral_pneumonia", "Influenza A RT-PCR was positive."), 2.0);
  EXPECT_DOUBLE_EQ(logit("viral_pneumonia", "Tested negative for influenza."), 0.0);
  EXPECT_DOUBLE_EQ(logit("viral_pneumonia", "No viral pneumonia."), -2.0);
  EXPECT_DOUBLE_EQ(logit("bacterial_pneumonia", "Legionella urinary antigen negative."), 0.0);
  EXPECT_DOUBLE_EQ(logit("no_finding", "Blood cultures grew Streptococcus pneumoniae."), -2.0);
  EXPECT_DOUBLE_EQ(logit("no_finding", "Streptococcus pneumoniae in blood cultures."), 0.0);  // no result word: no claim
}

// Semantic evidence comes only from statements about this finding or about nothing named: a sentence
// denying another finding, or one without two real words, does not move it.
TEST(NotesEvidence, DenialOfAnotherFindingIsNotSemanticEvidence) {
  auto set = parse_prompt_set(R"({"findings":[
    {"id":"pneumonia","name":{"en":"Pneumonia"},"code":{"scheme":"SCT","value":"233604007","meaning":"Pneumonia"},
     "positive":["pneumonia"],"negative":["no pneumonia"],"terms":["pneumonia"]},
    {"id":"effusion","name":{"en":"Effusion"},"code":{"scheme":"SCT","value":"60046008","meaning":"Pleural effusion"},
     "positive":["pleural effusion"],"negative":["no pleural effusion"],"terms":["pleural effusion","effusion"]}]})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  auto d = directions_from_embeddings(set.value(), {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 10.0f);
  ASSERT_TRUE(d.ok());
  const std::vector<float> like_no_pneumonia = {0, 1, 0, 0};  // embedded at pneumonia's negative phrasing
  auto logit = [&](const char* text) {
    return score_notes(set.value(), d.value(), 0, {NoteChunk{text, 0, 0, 1}}, like_no_pneumonia).logit;
  };
  EXPECT_LT(logit("Lungs look hazy today."), -1.0);  // no finding named: the semantic score acts
  EXPECT_DOUBLE_EQ(logit("No pleural effusion."), 0.0);
  EXPECT_DOUBLE_EQ(logit("109 ?"), 0.0);
  EXPECT_LE(logit("No pneumonia."), -2.0);  // its own denial still counts
}

// Korean notes (the studio's second language): negation and uncertainty follow the term, particles
// and endings attach to words.
TEST(Negation, ReadsKoreanPhrasing) {
  const std::vector<std::string> pneumonia = {"pneumonia", "폐렴"};
  const std::vector<std::string> effusion = {"pleural effusion", "흉수", "흉막 삼출"};
  const std::vector<std::string> ptx = {"pneumothorax", "기흉"};
  const TermMention stated = find_mention("우하엽에 폐렴 소견이 있음.", pneumonia);
  EXPECT_TRUE(stated.mentioned && !stated.negated && !stated.uncertain);
  EXPECT_EQ(stated.term, "폐렴");
  EXPECT_TRUE(find_mention("폐렴 소견 없음.", pneumonia).negated);
  EXPECT_TRUE(find_mention("폐렴은 없다.", pneumonia).negated);  // particle + ending
  EXPECT_TRUE(find_mention("흉수는 보이지 않음.", effusion).negated);
  EXPECT_TRUE(find_mention("우측 흉막 삼출 관찰되지 않음", effusion).negated);
  EXPECT_TRUE(find_mention("기흉 음성.", ptx).negated);
  EXPECT_TRUE(find_mention("기흉은 배제됨.", ptx).negated);
  const TermMention suspected = find_mention("폐렴 의심.", pneumonia);
  EXPECT_TRUE(suspected.mentioned && suspected.uncertain && !suspected.negated);
  EXPECT_TRUE(find_mention("폐렴 배제 필요.", pneumonia).uncertain);  // "rule out", not "ruled out"
  // Scope: an affirmation or "하지만" ends it.
  EXPECT_FALSE(find_mention("폐렴 있고 흉수 없음.", pneumonia).negated);
  EXPECT_TRUE(find_mention("폐렴 있고 흉수 없음.", effusion).negated);
  EXPECT_FALSE(find_mention("흉수 없음. 하지만 폐렴 소견 보임.", pneumonia).negated);
  EXPECT_FALSE(find_mention("정상 흉부 사진.", pneumonia).mentioned);
}

TEST(NotesEvidence, StatedFindingRaisesDeniedLowersUnrelatedIsNeutral) {
  auto set = parse_prompt_set(R"({"findings":[
    {"id":"pneumonia","name":{"en":"Pneumonia"},"code":{"scheme":"SCT","value":"233604007","meaning":"Pneumonia"},
     "positive":["pneumonia"],"negative":["no pneumonia"],"terms":["pneumonia"]},
    {"id":"bacterial_pneumonia","name":{"en":"Bacterial"},"code":{"scheme":"SCT","value":"53084003","meaning":"Bacterial pneumonia"},
     "positive":["bacterial pneumonia"],"negative":["viral pneumonia"],"terms":["bacterial pneumonia"],"parents":["pneumonia"]}]})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  // dim 4: phrasings on axes 0..3; note sentences orthogonal (axis mix) so only the lexical rules act.
  auto d = directions_from_embeddings(set.value(), {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 10.0f);
  ASSERT_TRUE(d.ok());
  const std::vector<NoteChunk> chunks = {{"Right lower lobe pneumonia.", 0, 0, 1},
                                         {"No pneumonia.", 1, 0, 1},
                                         {"Afebrile, eating well.", 2, 0, 1}};
  const std::vector<float> neutral = {0, 0, 0, 0};
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    std::vector<float> e;
    for (int k = 0; k < 4; ++k) e.push_back(neutral[k]);
    const NotesScore s = score_notes(set.value(), d.value(), 0, {chunks[c]}, e);
    if (c == 0) EXPECT_GE(s.logit, 2.0);
    if (c == 1) {
      EXPECT_LE(s.logit, -2.0);
      ASSERT_EQ(s.evidence.size(), 1u);
      EXPECT_TRUE(s.evidence[0].negated);
    }
    if (c == 2) EXPECT_DOUBLE_EQ(s.logit, 0.0);
  }
  // Denying the parent lowers the child.
  const NotesScore child = score_notes(set.value(), d.value(), 1, {chunks[1]}, neutral);
  EXPECT_LE(child.logit, -2.0);
  // Semantic evidence alone (no term): a sentence embedded at the positive prompt moves it up.
  const NoteChunk cough{"Productive cough and fever.", 0, 0, 1};
  const NotesScore sem = score_notes(set.value(), d.value(), 0, {cough}, {1, 0, 0, 0});
  EXPECT_GT(sem.logit, 1.0);
  // Caps hold with many sentences.
  std::vector<NoteChunk> many(10, chunks[0]);
  std::vector<float> many_e(40, 0.0f);
  EXPECT_LE(score_notes(set.value(), d.value(), 0, many, many_e).logit, NoteFusionParams{}.max_total);
}

TEST(NotesEvidence, AffirmedFindingArguesAgainstNoFindingButADenialDoesNot) {
  auto set = parse_prompt_set(R"({"findings":[
    {"id":"no_finding","name":{"en":"No finding"},"code":{"scheme":"SCT","value":"281900007","meaning":"No abnormality detected"},
     "positive":["normal chest x-ray"],"negative":["abnormal chest x-ray"],"terms":["clear lungs"],
     "excluded_by_other_findings":true},
    {"id":"pneumonia","name":{"en":"Pneumonia"},"code":{"scheme":"SCT","value":"233604007","meaning":"Pneumonia"},
     "positive":["pneumonia"],"negative":["no pneumonia"],"terms":["pneumonia"]}]})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_TRUE(set->findings[0].excluded_by_other_findings);
  EXPECT_FALSE(set->findings[1].excluded_by_other_findings);
  auto d = directions_from_embeddings(set.value(), {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 10.0f);
  ASSERT_TRUE(d.ok());
  const std::vector<float> neutral = {0, 0, 0, 0};
  const NoteChunk stated{"Clinical impression: community-acquired pneumonia.", 0, 0, 1};
  const NoteChunk denied{"No pneumonia.", 0, 0, 1};
  const NoteChunk normal{"Clear lungs.", 0, 0, 1};
  EXPECT_LE(score_notes(set.value(), d.value(), 0, {stated}, neutral).logit, -2.0);
  EXPECT_DOUBLE_EQ(score_notes(set.value(), d.value(), 0, {denied}, neutral).logit, 0.0);
  EXPECT_GE(score_notes(set.value(), d.value(), 0, {normal}, neutral).logit, 2.0);
}
