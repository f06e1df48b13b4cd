<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
    <context>
        <name>QObject</name>
        <message>
            <source>…</source>
            <translation>…</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::AnalysisController</name>
        <message>
            <source>Loading model…</source>
            <translation>모델 불러오는 중…</translation>
        </message>
        <message>
            <source>Analysing…</source>
            <translation>분석 중…</translation>
        </message>
        <message>
            <source>Teaching…</source>
            <translation>학습 중…</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::Exports</name>
        <message>
            <source>%1: cannot write the PDF (check the folder exists and is writable).</source>
            <translation>%1: PDF를 쓸 수 없습니다 (폴더가 있고 쓰기 가능한지 확인하십시오).</translation>
        </message>
        <message>
            <source>%1: the PDF could not be written (check the folder is writable).</source>
            <translation>%1: PDF를 저장하지 못했습니다 (폴더에 쓰기 권한이 있는지 확인하십시오).</translation>
        </message>
        <message>
            <source>%1: cannot write the PNG (check the folder exists and is writable).</source>
            <translation>%1: PNG를 쓸 수 없습니다 (폴더가 있고 쓰기 가능한지 확인하십시오).</translation>
        </message>
        <message>
            <source>%1: cannot create the folder.</source>
            <translation>%1: 폴더를 만들 수 없습니다.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::FindingsListModel</name>
        <message>
            <source>(negated)</source>
            <translation>(부정됨)</translation>
        </message>
        <message>
            <source>(names another diagnosis: %1)</source>
            <translation>(다른 진단 언급: %1)</translation>
        </message>
        <message>
            <source>%1: %2%</source>
            <translation>%1: %2%</translation>
        </message>
        <message>
            <source>Probability %1% (operating point %2%)</source>
            <translation>확률 %1% (작동점 %2%)</translation>
        </message>
        <message>
            <source>Image evidence %1, notes evidence %2 (log-odds)</source>
            <translation>영상 근거 %1, 소견 메모 근거 %2 (로그 오즈)</translation>
        </message>
        <message>
            <source>Not validated for this finding: interpret with care.</source>
            <translation>이 소견에 대해서는 검증되지 않았습니다. 신중하게 해석하십시오.</translation>
        </message>
        <message>
            <source>Scored by this site's taught adapter.</source>
            <translation>이 기관에서 학습한 어댑터로 점수를 매겼습니다.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::ImageLoader</name>
        <message>
            <source>%1: the image has no pixels.</source>
            <translation>%1: 영상에 픽셀이 없습니다.</translation>
        </message>
        <message>
            <source>File window %1</source>
            <translation>파일 윈도 %1</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::ImageView</name>
        <message>
            <source>No image.
Open a file, a folder or a DICOMDIR (Ctrl+O), or query a PACS.</source>
            <translation>영상이 없습니다.
파일, 폴더 또는 DICOMDIR을 열거나 (Ctrl+O) PACS를 조회하십시오.</translation>
        </message>
        <message>
            <source>%1 × %2 px</source>
            <translation>%1 × %2 픽셀</translation>
        </message>
        <message>
            <source>Image %1 / %2</source>
            <translation>영상 %1 / %2</translation>
        </message>
        <message>
            <source>Zoom %1%</source>
            <translation>확대 %1%</translation>
        </message>
        <message>
            <source>Inverted</source>
            <translation>반전</translation>
        </message>
        <message>
            <source>Rotated %1°</source>
            <translation>%1° 회전</translation>
        </message>
        <message>
            <source>Flipped</source>
            <translation>뒤집힘</translation>
        </message>
        <message>
            <source>%1 cm</source>
            <translation>%1 cm</translation>
        </message>
        <message>
            <source>%1 mm</source>
            <translation>%1 mm</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::MainWindow</name>
        <message>
            <source>Analysis cancelled.</source>
            <translation>분석이 취소되었습니다.</translation>
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;: adapter updated from %2 positive and %3 negative studies.&lt;/p&gt;&lt;p&gt;Leave-one-out AUC on these examples: zero-shot %4, site adapter %5.&lt;/p&gt;&lt;p&gt;Library: %6&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;: 양성 %2건, 음성 %3건의 검사로 어댑터를 갱신했습니다.&lt;/p&gt;&lt;p&gt;이 예시에 대한 Leave-one-out AUC: 제로샷 %4, 기관 어댑터 %5.&lt;/p&gt;&lt;p&gt;라이브러리: %6&lt;/p&gt;</translation>
        </message>
        <message>
            <source>n/a (too few examples)</source>
            <translation>해당 없음 (예시 부족)</translation>
        </message>
        <message>
            <source>&lt;p&gt;Not used: %1&lt;/p&gt;</source>
            <translation>&lt;p&gt;사용되지 않음: %1&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Site adapter updated; analyse again to use it.</source>
            <translation>기관 어댑터가 갱신되었습니다. 적용하려면 다시 분석하십시오.</translation>
        </message>
        <message>
            <source>About CXR Assist Studio</source>
            <translation>CXR Assist Studio 정보</translation>
        </message>
        <message>
            <source>&lt;b&gt;CXR Assist Studio&lt;/b&gt; %1&lt;br&gt;Chest X-ray decision support.&lt;br&gt;&lt;br&gt;%2</source>
            <translation>&lt;b&gt;CXR Assist Studio&lt;/b&gt; %1&lt;br&gt;흉부 X선 판독 보조.&lt;br&gt;&lt;br&gt;%2</translation>
        </message>
        <message>
            <source>Site library</source>
            <translation>기관 라이브러리</translation>
        </message>
        <message>
            <source>Site library (*.json)</source>
            <translation>기관 라이브러리 (*.json)</translation>
        </message>
        <message>
            <source>CXR Assist Studio — decision support</source>
            <translation>CXR Assist Studio — 판독 보조</translation>
        </message>
        <message>
            <source>&amp;Open file…</source>
            <translation>파일 열기(&amp;O)…</translation>
        </message>
        <message>
            <source>Open &amp;folder…</source>
            <translation>폴더 열기(&amp;F)…</translation>
        </message>
        <message>
            <source>Open &amp;DICOMDIR…</source>
            <translation>DICOMDIR 열기(&amp;D)…</translation>
        </message>
        <message>
            <source>&amp;Query/retrieve PACS…</source>
            <translation>PACS 조회/가져오기(&amp;Q)…</translation>
        </message>
        <message>
            <source>Save report as &amp;PDF…</source>
            <translation>보고서를 PDF로 저장(&amp;P)…</translation>
        </message>
        <message>
            <source>Save report as P&amp;NG…</source>
            <translation>보고서를 PNG로 저장(&amp;N)…</translation>
        </message>
        <message>
            <source>&amp;Save SR and overlay to disk…</source>
            <translation>SR 및 오버레이를 디스크에 저장(&amp;S)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>종료(&amp;Q)</translation>
        </message>
        <message>
            <source>File default window</source>
            <translation>파일 기본 윈도</translation>
        </message>
        <message>
            <source>Lung</source>
            <translation>폐</translation>
        </message>
        <message>
            <source>Mediastinum</source>
            <translation>종격동</translation>
        </message>
        <message>
            <source>Bone</source>
            <translation>뼈</translation>
        </message>
        <message>
            <source>Full range</source>
            <translation>전체 범위</translation>
        </message>
        <message>
            <source>Invert</source>
            <translation>반전</translation>
        </message>
        <message>
            <source>Rotate clockwise</source>
            <translation>시계 방향 회전</translation>
        </message>
        <message>
            <source>Rotate counter-clockwise</source>
            <translation>반시계 방향 회전</translation>
        </message>
        <message>
            <source>Flip horizontally</source>
            <translation>좌우 뒤집기</translation>
        </message>
        <message>
            <source>Flip vertically</source>
            <translation>상하 뒤집기</translation>
        </message>
        <message>
            <source>Fit to window</source>
            <translation>창에 맞춤</translation>
        </message>
        <message>
            <source>Actual pixels (1:1)</source>
            <translation>실제 픽셀 (1:1)</translation>
        </message>
        <message>
            <source>Reset view</source>
            <translation>보기 초기화</translation>
        </message>
        <message>
            <source>Show overlays</source>
            <translation>오버레이 표시</translation>
        </message>
        <message>
            <source>Next image</source>
            <translation>다음 영상</translation>
        </message>
        <message>
            <source>Previous image</source>
            <translation>이전 영상</translation>
        </message>
        <message>
            <source>Next study</source>
            <translation>다음 검사</translation>
        </message>
        <message>
            <source>Previous study</source>
            <translation>이전 검사</translation>
        </message>
        <message>
            <source>Run &amp;analysis</source>
            <translation>분석 실행(&amp;A)</translation>
        </message>
        <message>
            <source>Cancel analysis</source>
            <translation>분석 취소</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>환경 설정(&amp;P)…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>단축키(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;About</source>
            <translation>정보(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>파일(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Recent studies</source>
            <translation>최근 검사(&amp;R)</translation>
        </message>
        <message>
            <source>Send SR and overlay to &amp;PACS</source>
            <translation>SR 및 오버레이를 PACS로 전송(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>보기(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Window presets</source>
            <translation>윈도 프리셋(&amp;W)</translation>
        </message>
        <message>
            <source>Windows in the file</source>
            <translation>파일에 저장된 윈도</translation>
        </message>
        <message>
            <source>&amp;Analysis</source>
            <translation>분석(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>설정(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>언어(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>도움말(&amp;H)</translation>
        </message>
        <message>
            <source>Studies</source>
            <translation>검사 목록</translation>
        </message>
        <message>
            <source>Notes and findings</source>
            <translation>소견 메모와 결과</translation>
        </message>
        <message>
            <source>Teach</source>
            <translation>학습</translation>
        </message>
        <message>
            <source>Physician's notes</source>
            <translation>의사 소견 메모</translation>
        </message>
        <message>
            <source>Clinical history, symptoms, the question to answer… (prefilled from the DICOM request)</source>
            <translation>임상 병력, 증상, 확인할 질문… (DICOM 의뢰 정보로 미리 채워짐)</translation>
        </message>
        <message>
            <source>Run analysis (F5)</source>
            <translation>분석 실행 (F5)</translation>
        </message>
        <message>
            <source>Suggested findings</source>
            <translation>제안된 소견</translation>
        </message>
        <message>
            <source>Note sentences that moved the selected finding:</source>
            <translation>선택한 소견에 영향을 준 메모 문장:</translation>
        </message>
        <message>
            <source>Heatmap opacity</source>
            <translation>히트맵 불투명도</translation>
        </message>
        <message>
            <source>Decision support only: these suggestions are not a diagnosis and must be reviewed by a qualified physician.</source>
            <translation>진료 보조 전용: 이 제안은 진단이 아니며 자격을 갖춘 의사가 검토해야 합니다.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>취소</translation>
        </message>
        <message>
            <source>Teach the site model: mark studies as showing or not showing a finding, then update its few-shot adapter.</source>
            <translation>기관 모델 학습: 검사에 소견이 있는지 없는지 표시한 다음 퓨샷 어댑터를 갱신하십시오.</translation>
        </message>
        <message>
            <source>Finding:</source>
            <translation>소견:</translation>
        </message>
        <message>
            <source>Mark positive</source>
            <translation>양성으로 표시</translation>
        </message>
        <message>
            <source>Mark negative</source>
            <translation>음성으로 표시</translation>
        </message>
        <message>
            <source>Unmark</source>
            <translation>표시 해제</translation>
        </message>
        <message>
            <source>Update adapter and evaluate</source>
            <translation>어댑터 갱신 및 평가</translation>
        </message>
        <message>
            <source>Choose site library…</source>
            <translation>기관 라이브러리 선택…</translation>
        </message>
        <message>
            <source>Open a study to begin.</source>
            <translation>시작하려면 검사를 여십시오.</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(없음)</translation>
        </message>
        <message>
            <source>Clear list</source>
            <translation>목록 지우기</translation>
        </message>
        <message>
            <source>(no PACS node configured: Settings › Preferences)</source>
            <translation>(설정된 PACS 노드 없음: 설정 › 환경 설정)</translation>
        </message>
        <message>
            <source>Open images</source>
            <translation>영상 열기</translation>
        </message>
        <message>
            <source>DICOM and images (*.dcm *.DCM *.dicom *.png *.jpg *.jpeg *);;All files (*)</source>
            <translation>DICOM 및 영상 (*.dcm *.DCM *.dicom *.png *.jpg *.jpeg *);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>Open folder</source>
            <translation>폴더 열기</translation>
        </message>
        <message>
            <source>Open DICOMDIR</source>
            <translation>DICOMDIR 열기</translation>
        </message>
        <message>
            <source>DICOMDIR (DICOMDIR dicomdir);;All files (*)</source>
            <translation>DICOMDIR (DICOMDIR dicomdir);;모든 파일 (*)</translation>
        </message>
        <message numerus="yes">
            <source>Reading %n item(s)…</source>
            <translation>
                <numerusform>항목 %n개 읽는 중…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n image(s) found.</source>
            <translation>
                <numerusform>영상 %n개를 찾았습니다.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) skipped (see tooltip).</source>
            <translation>
                <numerusform>파일 %n개를 건너뛰었습니다 (도움말 풍선 참조).</numerusform>
            </translation>
        </message>
        <message>
            <source>No image found in %1.</source>
            <translation>%1에서 영상을 찾지 못했습니다.</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>%1 불러오는 중…</translation>
        </message>
        <message>
            <source>Ready. Edit the notes if needed, then run the analysis (F5).</source>
            <translation>준비 완료. 필요하면 메모를 수정한 뒤 분석을 실행하십시오 (F5).</translation>
        </message>
        <message>
            <source>Open an image before running the analysis.</source>
            <translation>분석을 실행하기 전에 영상을 여십시오.</translation>
        </message>
        <message>
            <source>An analysis is already running.</source>
            <translation>이미 분석이 실행 중입니다.</translation>
        </message>
        <message>
            <source>Analysis finished for an image that is no longer shown; run it again.</source>
            <translation>더 이상 표시되지 않는 영상의 분석이 끝났습니다. 다시 실행하십시오.</translation>
        </message>
        <message numerus="yes">
            <source>Analysis done: %n finding(s) above the operating point.</source>
            <translation>
                <numerusform>분석 완료: 작동점 이상의 소견 %n개.</numerusform>
            </translation>
        </message>
        <message>
            <source>(no note sentence moved this finding)</source>
            <translation>(이 소견에 영향을 준 메모 문장 없음)</translation>
        </message>
        <message>
            <source>%1 %2% — heatmap</source>
            <translation>%1 %2% — 히트맵</translation>
        </message>
        <message>
            <source>CXR Assist Studio</source>
            <translation>CXR Assist Studio</translation>
        </message>
        <message>
            <source>Run an analysis once to load the list of findings.</source>
            <translation>소견 목록을 불러오려면 분석을 한 번 실행하십시오.</translation>
        </message>
        <message>
            <source>%1 positive and %2 negative example(s).</source>
            <translation>양성 예시 %1개, 음성 예시 %2개.</translation>
        </message>
        <message>
            <source>This image is marked positive.</source>
            <translation>이 영상은 양성으로 표시되어 있습니다.</translation>
        </message>
        <message>
            <source>This image is marked negative.</source>
            <translation>이 영상은 음성으로 표시되어 있습니다.</translation>
        </message>
        <message>
            <source>At least one of each is needed.</source>
            <translation>각각 최소 한 개가 필요합니다.</translation>
        </message>
        <message>
            <source>Site library: %1</source>
            <translation>기관 라이브러리: %1</translation>
        </message>
        <message>
            <source>&lt;p&gt;Teaching %1…&lt;/p&gt;</source>
            <translation>&lt;p&gt;%1 학습 중…&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Run the analysis before saving a report.</source>
            <translation>보고서를 저장하기 전에 분석을 실행하십시오.</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>PNG image (*.png)</source>
            <translation>PNG 영상 (*.png)</translation>
        </message>
        <message>
            <source>Save report</source>
            <translation>보고서 저장</translation>
        </message>
        <message>
            <source>Report saved: %1</source>
            <translation>보고서 저장됨: %1</translation>
        </message>
        <message>
            <source>Run the analysis before exporting.</source>
            <translation>내보내기 전에 분석을 실행하십시오.</translation>
        </message>
        <message>
            <source>Folder for the SR and the overlay</source>
            <translation>SR 및 오버레이를 저장할 폴더</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>저장됨: %1</translation>
        </message>
        <message>
            <source>Run the analysis before sending results.</source>
            <translation>결과를 전송하기 전에 분석을 실행하십시오.</translation>
        </message>
        <message>
            <source>Sending to %1…</source>
            <translation>%1(으)로 전송 중…</translation>
        </message>
        <message>
            <source>Sent to %1.</source>
            <translation>%1(으)로 전송했습니다.</translation>
        </message>
        <message>
            <source>Window/level</source>
            <translation>윈도/레벨</translation>
        </message>
        <message>
            <source>left drag</source>
            <translation>왼쪽 버튼 끌기</translation>
        </message>
        <message>
            <source>Pan</source>
            <translation>이동</translation>
        </message>
        <message>
            <source>right drag, or Shift + left drag</source>
            <translation>오른쪽 버튼 끌기 또는 Shift + 왼쪽 버튼 끌기</translation>
        </message>
        <message>
            <source>Zoom</source>
            <translation>확대/축소</translation>
        </message>
        <message>
            <source>mouse wheel</source>
            <translation>마우스 휠</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>단축키</translation>
        </message>
        <message>
            <source>Bar: probability; tick: operating point; orange and bold: above it. * not validated for this finding; ⚑ scored by the site adapter.</source>
            <translation>막대: 확률, 눈금: 작동점, 주황색 굵은 글씨: 작동점 이상. * 이 소견에 대해 검증되지 않음, ⚑ 기관 어댑터로 점수 매김.</translation>
        </message>
        <message>
            <source>Using fp32: %1</source>
            <translation>fp32 사용: %1</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PacsBrowser</name>
        <message>
            <source>Study date: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD (got &quot;%1&quot;).</source>
            <translation>검사 날짜: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- 또는 -YYYYMMDD 형식이어야 합니다 (입력: &quot;%1&quot;).</translation>
        </message>
        <message>
            <source>Study date: &quot;%1&quot; is not a calendar date.</source>
            <translation>검사 날짜: &quot;%1&quot;은(는) 올바른 날짜가 아닙니다.</translation>
        </message>
        <message>
            <source>Study date: the range ends before it starts (&quot;%1&quot;).</source>
            <translation>검사 날짜: 범위의 끝이 시작보다 앞섭니다 (&quot;%1&quot;).</translation>
        </message>
        <message>
            <source>Choose a study, and a storage folder in Settings › Preferences.</source>
            <translation>검사를 선택하고 설정 › 환경설정에서 저장 폴더를 지정하십시오.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PacsDialog</name>
        <message>
            <source>Query/retrieve PACS</source>
            <translation>PACS 조회/가져오기</translation>
        </message>
        <message>
            <source>Study date: YYYYMMDD or YYYYMMDD-YYYYMMDD (empty: any)</source>
            <translation>검사일: YYYYMMDD 또는 YYYYMMDD-YYYYMMDD (비우면 전체)</translation>
        </message>
        <message>
            <source>Query</source>
            <translation>조회</translation>
        </message>
        <message>
            <source>Retrieve and open</source>
            <translation>가져와서 열기</translation>
        </message>
        <message>
            <source>Study date</source>
            <translation>검사일</translation>
        </message>
        <message>
            <source>Modalities</source>
            <translation>모달리티</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>영상 수</translation>
        </message>
        <message>
            <source>Study Instance UID</source>
            <translation>Study Instance UID</translation>
        </message>
        <message>
            <source>No PACS node is configured: add one in Settings › Preferences.</source>
            <translation>설정된 PACS 노드가 없습니다. 설정 › 환경 설정에서 추가하십시오.</translation>
        </message>
        <message>
            <source>Querying…</source>
            <translation>조회 중…</translation>
        </message>
        <message numerus="yes">
            <source>%n study(ies) found.</source>
            <translation>
                <numerusform>검사 %n건을 찾았습니다.</numerusform>
            </translation>
        </message>
        <message>
            <source>Retrieving…</source>
            <translation>가져오는 중…</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s) retrieved.</source>
            <translation>
                <numerusform>영상 %n개를 가져왔습니다.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <translation>환경 설정</translation>
        </message>
        <message>
            <source>(bundled default model)</source>
            <translation>(기본 내장 모델)</translation>
        </message>
        <message>
            <source>A CXR Assist model folder or a Hugging Face SigLIP checkpoint folder (config.json, model.safetensors, spiece.model).</source>
            <translation>CXR Assist 모델 폴더 또는 Hugging Face SigLIP 체크포인트 폴더 (config.json, model.safetensors, spiece.model).</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>자동</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>GPU (CUDA)</source>
            <translation>GPU (CUDA)</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>기본</translation>
        </message>
        <message>
            <source>High sensitivity</source>
            <translation>고민감도</translation>
        </message>
        <message>
            <source>High specificity</source>
            <translation>고특이도</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(없음)</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>이름</translation>
        </message>
        <message>
            <source>AE title</source>
            <translation>AE 타이틀</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>호스트</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>포트</translation>
        </message>
        <message>
            <source>Add node</source>
            <translation>노드 추가</translation>
        </message>
        <message>
            <source>Remove node</source>
            <translation>노드 삭제</translation>
        </message>
        <message>
            <source>Test connection (C-ECHO)</source>
            <translation>연결 시험 (C-ECHO)</translation>
        </message>
        <message>
            <source>PACS</source>
            <translation>PACS</translation>
        </message>
        <message>
            <source>Contacting %1…</source>
            <translation>%1에 연결 중…</translation>
        </message>
        <message>
            <source>%1 answered the C-ECHO.</source>
            <translation>%1이(가) C-ECHO에 응답했습니다.</translation>
        </message>
        <message>
            <source>Model folder</source>
            <translation>모델 폴더</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>장치</translation>
        </message>
        <message>
            <source>Operating point</source>
            <translation>작동점</translation>
        </message>
        <message>
            <source>Site library</source>
            <translation>기관 라이브러리</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>언어</translation>
        </message>
        <message>
            <source>Local AE title</source>
            <translation>로컬 AE 타이틀</translation>
        </message>
        <message>
            <source>Storage folder</source>
            <translation>저장 폴더</translation>
        </message>
        <message>
            <source>PACS nodes</source>
            <translation>PACS 노드</translation>
        </message>
        <message>
            <source>Standard (fp32)</source>
            <translation>표준 (fp32)</translation>
        </message>
        <message>
            <source>Fast (bf16)</source>
            <translation>빠름 (bf16)</translation>
        </message>
        <message>
            <source>bf16 rounds the model&apos;s matrix products to 8-bit mantissas: about 1.6 times faster on CPUs with AVX512-BF16 or AMX, probabilities within 0.02 of fp32 (docs/engine.md).</source>
            <translation>bf16은 모델의 행렬 곱을 8비트 가수로 반올림합니다: AVX512-BF16 또는 AMX가 있는 CPU에서 약 1.6배 빠르며, 확률 차이는 fp32 대비 0.02 이내입니다 (docs/engine.md).</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>정밀도</translation>
        </message>
        <message>
            <source>(only for nodes with TLS)</source>
            <translation>(TLS 노드에만 사용)</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
            <translation>PEM 파일 (*.pem *.crt *.key);;모든 파일 (*)</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS 인증서</translation>
        </message>
        <message>
            <source>TLS private key</source>
            <translation>TLS 개인 키</translation>
        </message>
        <message>
            <source>Trusted CA certificates</source>
            <translation>신뢰할 CA 인증서</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::Report</name>
        <message>
            <source>positive</source>
            <translation>양성</translation>
        </message>
        <message>
            <source>negative</source>
            <translation>음성</translation>
        </message>
        <message>
            <source>indeterminate</source>
            <translation>불확정</translation>
        </message>
        <message>
            <source>CXR Assist — chest X-ray decision support report</source>
            <translation>CXR Assist — 흉부 X선 판독 보조 보고서</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>환자</translation>
        </message>
        <message>
            <source>Patient ID</source>
            <translation>환자 ID</translation>
        </message>
        <message>
            <source>Sex / age</source>
            <translation>성별 / 나이</translation>
        </message>
        <message>
            <source>Study date</source>
            <translation>검사일</translation>
        </message>
        <message>
            <source>Study</source>
            <translation>검사</translation>
        </message>
        <message>
            <source>View</source>
            <translation>촬영 방향</translation>
        </message>
        <message>
            <source>Image file</source>
            <translation>영상 파일</translation>
        </message>
        <message>
            <source>Generated</source>
            <translation>작성 시각</translation>
        </message>
        <message>
            <source>Overlay: evidence map for %1</source>
            <translation>오버레이: %1 근거 지도</translation>
        </message>
        <message>
            <source>Suggested findings</source>
            <translation>제안된 소견</translation>
        </message>
        <message>
            <source>Finding</source>
            <translation>소견</translation>
        </message>
        <message>
            <source>Probability</source>
            <translation>확률</translation>
        </message>
        <message>
            <source>Operating point</source>
            <translation>작동점</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>판정</translation>
        </message>
        <message>
            <source>* not validated for this finding</source>
            <translation>* 이 소견에 대해서는 검증되지 않음</translation>
        </message>
        <message>
            <source>Note sentences that moved a finding</source>
            <translation>소견에 영향을 준 메모 문장</translation>
        </message>
        <message>
            <source>Clinical notes</source>
            <translation>임상 메모</translation>
        </message>
        <message>
            <source>Provenance</source>
            <translation>출처 정보</translation>
        </message>
        <message>
            <source>model</source>
            <translation>모델</translation>
        </message>
        <message>
            <source>prompts</source>
            <translation>프롬프트</translation>
        </message>
        <message>
            <source>site library</source>
            <translation>기관 라이브러리</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::StudioSettings</name>
        <message>
            <source>PACS node: the name is empty.</source>
            <translation>PACS 노드: 이름이 비어 있습니다.</translation>
        </message>
        <message>
            <source>PACS node %1: AE title "%2" must be 1-16 ASCII characters without backslash.</source>
            <translation>PACS 노드 %1: AE 타이틀 "%2"은(는) 백슬래시 없이 1-16자의 ASCII 문자여야 합니다.</translation>
        </message>
        <message>
            <source>PACS node %1: the host name is empty or contains spaces.</source>
            <translation>PACS 노드 %1: 호스트 이름이 비어 있거나 공백을 포함합니다.</translation>
        </message>
        <message>
            <source>PACS node %1: port %2 is outside 1-65535.</source>
            <translation>PACS 노드 %1: 포트 %2이(가) 1-65535 범위를 벗어났습니다.</translation>
        </message>
        <message>
            <source>certificate</source>
            <translation>인증서</translation>
        </message>
        <message>
            <source>private key</source>
            <translation>개인 키</translation>
        </message>
        <message>
            <source>trusted CA certificates</source>
            <translation>신뢰할 CA 인증서</translation>
        </message>
        <message>
            <source>PACS node %1 uses TLS, but the workstation&apos;s %2 is not set or not found: set it in Settings › Preferences.</source>
            <translation>PACS 노드 %1은(는) TLS를 사용하지만 워크스테이션의 %2이(가) 설정되지 않았거나 없습니다: 설정 › 환경설정에서 지정하십시오.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::StudyListModel</name>
        <message>
            <source>%1: not found; check the path</source>
            <translation>%1: 찾을 수 없습니다. 경로를 확인하십시오</translation>
        </message>
        <message>
            <source>Image files</source>
            <translation>영상 파일</translation>
        </message>
        <message>
            <source>(no patient name)</source>
            <translation>(환자 이름 없음)</translation>
        </message>
        <message>
            <source>%1 (ID %2)</source>
            <translation>%1 (ID %2)</translation>
        </message>
        <message>
            <source>Study</source>
            <translation>검사</translation>
        </message>
        <message>
            <source>%1
%2 × %3 pixels</source>
            <translation>%1
%2 × %3 픽셀</translation>
        </message>
        <message>
            <source>Sex: %1  Age: %2</source>
            <translation>성별: %1  나이: %2</translation>
        </message>
        <message>
            <source>Patients / studies / series</source>
            <translation>환자 / 검사 / 시리즈</translation>
        </message>
        <message numerus="yes">
            <source>%1 — %n image(s)</source>
            <translation>
                <numerusform>%1 — 영상 %n개</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::TeachSet</name>
        <message>
            <source>%1: cannot be read (%2).</source>
            <translation>%1: 읽을 수 없습니다 (%2).</translation>
        </message>
        <message>
            <source>%1: not valid JSON (%2); fix or delete the file.</source>
            <translation>%1: 올바른 JSON이 아닙니다 (%2). 파일을 고치거나 삭제하십시오.</translation>
        </message>
        <message>
            <source>%1: cannot be written (%2).</source>
            <translation>%1: 쓸 수 없습니다 (%2).</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::WindowLevel</name>
        <message>
            <source>W %1  L %2</source>
            <translation>W %1  L %2</translation>
        </message>
        <message>
            <source>Lung</source>
            <translation>폐</translation>
        </message>
        <message>
            <source>Mediastinum</source>
            <translation>종격동</translation>
        </message>
        <message>
            <source>Bone</source>
            <translation>뼈</translation>
        </message>
        <message>
            <source>Full range</source>
            <translation>전체 범위</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>기본</translation>
        </message>
    </context>
</TS>
