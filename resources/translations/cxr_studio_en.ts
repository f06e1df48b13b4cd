<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
            <translation>Loading model…</translation>
        </message>
        <message>
            <source>Analysing…</source>
            <translation>Analysing…</translation>
        </message>
        <message>
            <source>Teaching…</source>
            <translation>Teaching…</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::Exports</name>
        <message>
            <source>%1: cannot write the PDF (check the folder exists and is writable).</source>
            <translation>%1: cannot write the PDF (check the folder exists and is writable).</translation>
        </message>
        <message>
            <source>%1: the PDF could not be written (check the folder is writable).</source>
            <translation>%1: the PDF could not be written (check the folder is writable).</translation>
        </message>
        <message>
            <source>%1: cannot write the PNG (check the folder exists and is writable).</source>
            <translation>%1: cannot write the PNG (check the folder exists and is writable).</translation>
        </message>
        <message>
            <source>%1: cannot create the folder.</source>
            <translation>%1: cannot create the folder.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::FindingsListModel</name>
        <message>
            <source>(negated)</source>
            <translation>(negated)</translation>
        </message>
        <message>
            <source>(names another diagnosis: %1)</source>
            <translation>(names another diagnosis: %1)</translation>
        </message>
        <message>
            <source>%1: %2%</source>
            <translation>%1: %2%</translation>
        </message>
        <message>
            <source>Probability %1% (operating point %2%)</source>
            <translation>Probability %1% (operating point %2%)</translation>
        </message>
        <message>
            <source>Image evidence %1, notes evidence %2 (log-odds)</source>
            <translation>Image evidence %1, notes evidence %2 (log-odds)</translation>
        </message>
        <message>
            <source>Not validated for this finding: interpret with care.</source>
            <translation>Not validated for this finding: interpret with care.</translation>
        </message>
        <message>
            <source>Scored by this site's taught adapter.</source>
            <translation>Scored by this site's taught adapter.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::ImageLoader</name>
        <message>
            <source>%1: the image has no pixels.</source>
            <translation>%1: the image has no pixels.</translation>
        </message>
        <message>
            <source>File window %1</source>
            <translation>File window %1</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::ImageView</name>
        <message>
            <source>No image.
Open a file, a folder or a DICOMDIR (Ctrl+O), or query a PACS.</source>
            <translation>No image.
Open a file, a folder or a DICOMDIR (Ctrl+O), or query a PACS.</translation>
        </message>
        <message>
            <source>%1 × %2 px</source>
            <translation>%1 × %2 px</translation>
        </message>
        <message>
            <source>Image %1 / %2</source>
            <translation>Image %1 / %2</translation>
        </message>
        <message>
            <source>Zoom %1%</source>
            <translation>Zoom %1%</translation>
        </message>
        <message>
            <source>Inverted</source>
            <translation>Inverted</translation>
        </message>
        <message>
            <source>Rotated %1°</source>
            <translation>Rotated %1°</translation>
        </message>
        <message>
            <source>Flipped</source>
            <translation>Flipped</translation>
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
            <translation>Analysis cancelled.</translation>
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;: adapter updated from %2 positive and %3 negative studies.&lt;/p&gt;&lt;p&gt;Leave-one-out AUC on these examples: zero-shot %4, site adapter %5.&lt;/p&gt;&lt;p&gt;Library: %6&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;: adapter updated from %2 positive and %3 negative studies.&lt;/p&gt;&lt;p&gt;Leave-one-out AUC on these examples: zero-shot %4, site adapter %5.&lt;/p&gt;&lt;p&gt;Library: %6&lt;/p&gt;</translation>
        </message>
        <message>
            <source>n/a (too few examples)</source>
            <translation>n/a (too few examples)</translation>
        </message>
        <message>
            <source>&lt;p&gt;Not used: %1&lt;/p&gt;</source>
            <translation>&lt;p&gt;Not used: %1&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Site adapter updated; analyse again to use it.</source>
            <translation>Site adapter updated; analyse again to use it.</translation>
        </message>
        <message>
            <source>About CXR Assist Studio</source>
            <translation>About CXR Assist Studio</translation>
        </message>
        <message>
            <source>&lt;b&gt;CXR Assist Studio&lt;/b&gt; %1&lt;br&gt;Chest X-ray decision support.&lt;br&gt;&lt;br&gt;%2</source>
            <translation>&lt;b&gt;CXR Assist Studio&lt;/b&gt; %1&lt;br&gt;Chest X-ray decision support.&lt;br&gt;&lt;br&gt;%2</translation>
        </message>
        <message>
            <source>Site library</source>
            <translation>Site library</translation>
        </message>
        <message>
            <source>Site library (*.json)</source>
            <translation>Site library (*.json)</translation>
        </message>
        <message>
            <source>CXR Assist Studio — decision support</source>
            <translation>CXR Assist Studio — decision support</translation>
        </message>
        <message>
            <source>&amp;Open file…</source>
            <translation>&amp;Open file…</translation>
        </message>
        <message>
            <source>Open &amp;folder…</source>
            <translation>Open &amp;folder…</translation>
        </message>
        <message>
            <source>Open &amp;DICOMDIR…</source>
            <translation>Open &amp;DICOMDIR…</translation>
        </message>
        <message>
            <source>&amp;Query/retrieve PACS…</source>
            <translation>&amp;Query/retrieve PACS…</translation>
        </message>
        <message>
            <source>Save report as &amp;PDF…</source>
            <translation>Save report as &amp;PDF…</translation>
        </message>
        <message>
            <source>Save report as P&amp;NG…</source>
            <translation>Save report as P&amp;NG…</translation>
        </message>
        <message>
            <source>&amp;Save SR and overlay to disk…</source>
            <translation>&amp;Save SR and overlay to disk…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quit</translation>
        </message>
        <message>
            <source>File default window</source>
            <translation>File default window</translation>
        </message>
        <message>
            <source>Lung</source>
            <translation>Lung</translation>
        </message>
        <message>
            <source>Mediastinum</source>
            <translation>Mediastinum</translation>
        </message>
        <message>
            <source>Bone</source>
            <translation>Bone</translation>
        </message>
        <message>
            <source>Full range</source>
            <translation>Full range</translation>
        </message>
        <message>
            <source>Invert</source>
            <translation>Invert</translation>
        </message>
        <message>
            <source>Rotate clockwise</source>
            <translation>Rotate clockwise</translation>
        </message>
        <message>
            <source>Rotate counter-clockwise</source>
            <translation>Rotate counter-clockwise</translation>
        </message>
        <message>
            <source>Flip horizontally</source>
            <translation>Flip horizontally</translation>
        </message>
        <message>
            <source>Flip vertically</source>
            <translation>Flip vertically</translation>
        </message>
        <message>
            <source>Fit to window</source>
            <translation>Fit to window</translation>
        </message>
        <message>
            <source>Actual pixels (1:1)</source>
            <translation>Actual pixels (1:1)</translation>
        </message>
        <message>
            <source>Reset view</source>
            <translation>Reset view</translation>
        </message>
        <message>
            <source>Show overlays</source>
            <translation>Show overlays</translation>
        </message>
        <message>
            <source>Next image</source>
            <translation>Next image</translation>
        </message>
        <message>
            <source>Previous image</source>
            <translation>Previous image</translation>
        </message>
        <message>
            <source>Next study</source>
            <translation>Next study</translation>
        </message>
        <message>
            <source>Previous study</source>
            <translation>Previous study</translation>
        </message>
        <message>
            <source>Run &amp;analysis</source>
            <translation>Run &amp;analysis</translation>
        </message>
        <message>
            <source>Cancel analysis</source>
            <translation>Cancel analysis</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>&amp;Preferences…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>&amp;Keyboard shortcuts</translation>
        </message>
        <message>
            <source>&amp;About</source>
            <translation>&amp;About</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;Recent studies</source>
            <translation>&amp;Recent studies</translation>
        </message>
        <message>
            <source>Send SR and overlay to &amp;PACS</source>
            <translation>Send SR and overlay to &amp;PACS</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>&amp;Window presets</source>
            <translation>&amp;Window presets</translation>
        </message>
        <message>
            <source>Windows in the file</source>
            <translation>Windows in the file</translation>
        </message>
        <message>
            <source>&amp;Analysis</source>
            <translation>&amp;Analysis</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>&amp;Settings</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Language</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>Studies</source>
            <translation>Studies</translation>
        </message>
        <message>
            <source>Notes and findings</source>
            <translation>Notes and findings</translation>
        </message>
        <message>
            <source>Teach</source>
            <translation>Teach</translation>
        </message>
        <message>
            <source>Physician's notes</source>
            <translation>Physician's notes</translation>
        </message>
        <message>
            <source>Clinical history, symptoms, the question to answer… (prefilled from the DICOM request)</source>
            <translation>Clinical history, symptoms, the question to answer… (prefilled from the DICOM request)</translation>
        </message>
        <message>
            <source>Run analysis (F5)</source>
            <translation>Run analysis (F5)</translation>
        </message>
        <message>
            <source>Suggested findings</source>
            <translation>Suggested findings</translation>
        </message>
        <message>
            <source>Note sentences that moved the selected finding:</source>
            <translation>Note sentences that moved the selected finding:</translation>
        </message>
        <message>
            <source>Heatmap opacity</source>
            <translation>Heatmap opacity</translation>
        </message>
        <message>
            <source>Decision support only: these suggestions are not a diagnosis and must be reviewed by a qualified physician.</source>
            <translation>Decision support only: these suggestions are not a diagnosis and must be reviewed by a qualified physician.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Teach the site model: mark studies as showing or not showing a finding, then update its few-shot adapter.</source>
            <translation>Teach the site model: mark studies as showing or not showing a finding, then update its few-shot adapter.</translation>
        </message>
        <message>
            <source>Finding:</source>
            <translation>Finding:</translation>
        </message>
        <message>
            <source>Mark positive</source>
            <translation>Mark positive</translation>
        </message>
        <message>
            <source>Mark negative</source>
            <translation>Mark negative</translation>
        </message>
        <message>
            <source>Unmark</source>
            <translation>Unmark</translation>
        </message>
        <message>
            <source>Update adapter and evaluate</source>
            <translation>Update adapter and evaluate</translation>
        </message>
        <message>
            <source>Choose site library…</source>
            <translation>Choose site library…</translation>
        </message>
        <message>
            <source>Open a study to begin.</source>
            <translation>Open a study to begin.</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(none)</translation>
        </message>
        <message>
            <source>Clear list</source>
            <translation>Clear list</translation>
        </message>
        <message>
            <source>(no PACS node configured: Settings › Preferences)</source>
            <translation>(no PACS node configured: Settings › Preferences)</translation>
        </message>
        <message>
            <source>Open images</source>
            <translation>Open images</translation>
        </message>
        <message>
            <source>DICOM and images (*.dcm *.DCM *.dicom *.png *.jpg *.jpeg *);;All files (*)</source>
            <translation>DICOM and images (*.dcm *.DCM *.dicom *.png *.jpg *.jpeg *);;All files (*)</translation>
        </message>
        <message>
            <source>Open folder</source>
            <translation>Open folder</translation>
        </message>
        <message>
            <source>Open DICOMDIR</source>
            <translation>Open DICOMDIR</translation>
        </message>
        <message>
            <source>DICOMDIR (DICOMDIR dicomdir);;All files (*)</source>
            <translation>DICOMDIR (DICOMDIR dicomdir);;All files (*)</translation>
        </message>
        <message numerus="yes">
            <source>Reading %n item(s)…</source>
            <translation>
                <numerusform>Reading %n item…</numerusform>
                <numerusform>Reading %n items…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n image(s) found.</source>
            <translation>
                <numerusform>%n image found.</numerusform>
                <numerusform>%n images found.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n file(s) skipped (see tooltip).</source>
            <translation>
                <numerusform>%n file skipped (see tooltip).</numerusform>
                <numerusform>%n files skipped (see tooltip).</numerusform>
            </translation>
        </message>
        <message>
            <source>No image found in %1.</source>
            <translation>No image found in %1.</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>Loading %1…</translation>
        </message>
        <message>
            <source>Ready. Edit the notes if needed, then run the analysis (F5).</source>
            <translation>Ready. Edit the notes if needed, then run the analysis (F5).</translation>
        </message>
        <message>
            <source>Open an image before running the analysis.</source>
            <translation>Open an image before running the analysis.</translation>
        </message>
        <message>
            <source>An analysis is already running.</source>
            <translation>An analysis is already running.</translation>
        </message>
        <message>
            <source>Analysis finished for an image that is no longer shown; run it again.</source>
            <translation>Analysis finished for an image that is no longer shown; run it again.</translation>
        </message>
        <message numerus="yes">
            <source>Analysis done: %n finding(s) above the operating point.</source>
            <translation>
                <numerusform>Analysis done: %n finding above the operating point.</numerusform>
                <numerusform>Analysis done: %n findings above the operating point.</numerusform>
            </translation>
        </message>
        <message>
            <source>(no note sentence moved this finding)</source>
            <translation>(no note sentence moved this finding)</translation>
        </message>
        <message>
            <source>%1 %2% — heatmap</source>
            <translation>%1 %2% — heatmap</translation>
        </message>
        <message>
            <source>CXR Assist Studio</source>
            <translation>CXR Assist Studio</translation>
        </message>
        <message>
            <source>Run an analysis once to load the list of findings.</source>
            <translation>Run an analysis once to load the list of findings.</translation>
        </message>
        <message>
            <source>%1 positive and %2 negative example(s).</source>
            <translation>%1 positive and %2 negative example(s).</translation>
        </message>
        <message>
            <source>This image is marked positive.</source>
            <translation>This image is marked positive.</translation>
        </message>
        <message>
            <source>This image is marked negative.</source>
            <translation>This image is marked negative.</translation>
        </message>
        <message>
            <source>At least one of each is needed.</source>
            <translation>At least one of each is needed.</translation>
        </message>
        <message>
            <source>Site library: %1</source>
            <translation>Site library: %1</translation>
        </message>
        <message>
            <source>&lt;p&gt;Teaching %1…&lt;/p&gt;</source>
            <translation>&lt;p&gt;Teaching %1…&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Run the analysis before saving a report.</source>
            <translation>Run the analysis before saving a report.</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>PNG image (*.png)</source>
            <translation>PNG image (*.png)</translation>
        </message>
        <message>
            <source>Save report</source>
            <translation>Save report</translation>
        </message>
        <message>
            <source>Report saved: %1</source>
            <translation>Report saved: %1</translation>
        </message>
        <message>
            <source>Run the analysis before exporting.</source>
            <translation>Run the analysis before exporting.</translation>
        </message>
        <message>
            <source>Folder for the SR and the overlay</source>
            <translation>Folder for the SR and the overlay</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>Saved %1</translation>
        </message>
        <message>
            <source>Run the analysis before sending results.</source>
            <translation>Run the analysis before sending results.</translation>
        </message>
        <message>
            <source>Sending to %1…</source>
            <translation>Sending to %1…</translation>
        </message>
        <message>
            <source>Sent to %1.</source>
            <translation>Sent to %1.</translation>
        </message>
        <message>
            <source>Window/level</source>
            <translation>Window/level</translation>
        </message>
        <message>
            <source>left drag</source>
            <translation>left drag</translation>
        </message>
        <message>
            <source>Pan</source>
            <translation>Pan</translation>
        </message>
        <message>
            <source>right drag, or Shift + left drag</source>
            <translation>right drag, or Shift + left drag</translation>
        </message>
        <message>
            <source>Zoom</source>
            <translation>Zoom</translation>
        </message>
        <message>
            <source>mouse wheel</source>
            <translation>mouse wheel</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>Bar: probability; tick: operating point; orange and bold: above it. * not validated for this finding; ⚑ scored by the site adapter.</source>
            <translation>Bar: probability; tick: operating point; orange and bold: above it. * not validated for this finding; ⚑ scored by the site adapter.</translation>
        </message>
        <message>
            <source>Using fp32: %1</source>
            <translation>Using fp32: %1</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PacsBrowser</name>
        <message>
            <source>Study date: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD (got &quot;%1&quot;).</source>
            <translation>Study date: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD (got &quot;%1&quot;).</translation>
        </message>
        <message>
            <source>Study date: &quot;%1&quot; is not a calendar date.</source>
            <translation>Study date: &quot;%1&quot; is not a calendar date.</translation>
        </message>
        <message>
            <source>Study date: the range ends before it starts (&quot;%1&quot;).</source>
            <translation>Study date: the range ends before it starts (&quot;%1&quot;).</translation>
        </message>
        <message>
            <source>Choose a study, and a storage folder in Settings › Preferences.</source>
            <translation>Choose a study, and a storage folder in Settings › Preferences.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PacsDialog</name>
        <message>
            <source>Query/retrieve PACS</source>
            <translation>Query/retrieve PACS</translation>
        </message>
        <message>
            <source>Study date: YYYYMMDD or YYYYMMDD-YYYYMMDD (empty: any)</source>
            <translation>Study date: YYYYMMDD or YYYYMMDD-YYYYMMDD (empty: any)</translation>
        </message>
        <message>
            <source>Query</source>
            <translation>Query</translation>
        </message>
        <message>
            <source>Retrieve and open</source>
            <translation>Retrieve and open</translation>
        </message>
        <message>
            <source>Study date</source>
            <translation>Study date</translation>
        </message>
        <message>
            <source>Modalities</source>
            <translation>Modalities</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Images</translation>
        </message>
        <message>
            <source>Study Instance UID</source>
            <translation>Study Instance UID</translation>
        </message>
        <message>
            <source>No PACS node is configured: add one in Settings › Preferences.</source>
            <translation>No PACS node is configured: add one in Settings › Preferences.</translation>
        </message>
        <message>
            <source>Querying…</source>
            <translation>Querying…</translation>
        </message>
        <message numerus="yes">
            <source>%n study(ies) found.</source>
            <translation>
                <numerusform>%n studyy found.</numerusform>
                <numerusform>%n studyies found.</numerusform>
            </translation>
        </message>
        <message>
            <source>Retrieving…</source>
            <translation>Retrieving…</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s) retrieved.</source>
            <translation>
                <numerusform>%n image retrieved.</numerusform>
                <numerusform>%n images retrieved.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <translation>Preferences</translation>
        </message>
        <message>
            <source>(bundled default model)</source>
            <translation>(bundled default model)</translation>
        </message>
        <message>
            <source>A CXR Assist model folder or a Hugging Face SigLIP checkpoint folder (config.json, model.safetensors, spiece.model).</source>
            <translation>A CXR Assist model folder or a Hugging Face SigLIP checkpoint folder (config.json, model.safetensors, spiece.model).</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>Automatic</translation>
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
            <translation>Default</translation>
        </message>
        <message>
            <source>High sensitivity</source>
            <translation>High sensitivity</translation>
        </message>
        <message>
            <source>High specificity</source>
            <translation>High specificity</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(none)</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>AE title</source>
            <translation>AE title</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>Port</translation>
        </message>
        <message>
            <source>Add node</source>
            <translation>Add node</translation>
        </message>
        <message>
            <source>Remove node</source>
            <translation>Remove node</translation>
        </message>
        <message>
            <source>Test connection (C-ECHO)</source>
            <translation>Test connection (C-ECHO)</translation>
        </message>
        <message>
            <source>PACS</source>
            <translation>PACS</translation>
        </message>
        <message>
            <source>Contacting %1…</source>
            <translation>Contacting %1…</translation>
        </message>
        <message>
            <source>%1 answered the C-ECHO.</source>
            <translation>%1 answered the C-ECHO.</translation>
        </message>
        <message>
            <source>Model folder</source>
            <translation>Model folder</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>Device</translation>
        </message>
        <message>
            <source>Operating point</source>
            <translation>Operating point</translation>
        </message>
        <message>
            <source>Site library</source>
            <translation>Site library</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Language</translation>
        </message>
        <message>
            <source>Local AE title</source>
            <translation>Local AE title</translation>
        </message>
        <message>
            <source>Storage folder</source>
            <translation>Storage folder</translation>
        </message>
        <message>
            <source>PACS nodes</source>
            <translation>PACS nodes</translation>
        </message>
        <message>
            <source>Standard (fp32)</source>
            <translation>Standard (fp32)</translation>
        </message>
        <message>
            <source>Fast (bf16)</source>
            <translation>Fast (bf16)</translation>
        </message>
        <message>
            <source>bf16 rounds the model&apos;s matrix products to 8-bit mantissas: about 1.6 times faster on CPUs with AVX512-BF16 or AMX, probabilities within 0.02 of fp32 (docs/engine.md).</source>
            <translation>bf16 rounds the model&apos;s matrix products to 8-bit mantissas: about 1.6 times faster on CPUs with AVX512-BF16 or AMX, probabilities within 0.02 of fp32 (docs/engine.md).</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>Precision</translation>
        </message>
        <message>
            <source>(only for nodes with TLS)</source>
            <translation>(only for nodes with TLS)</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
            <translation>PEM files (*.pem *.crt *.key);;All files (*)</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS certificate</translation>
        </message>
        <message>
            <source>TLS private key</source>
            <translation>TLS private key</translation>
        </message>
        <message>
            <source>Trusted CA certificates</source>
            <translation>Trusted CA certificates</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::Report</name>
        <message>
            <source>positive</source>
            <translation>positive</translation>
        </message>
        <message>
            <source>negative</source>
            <translation>negative</translation>
        </message>
        <message>
            <source>indeterminate</source>
            <translation>indeterminate</translation>
        </message>
        <message>
            <source>CXR Assist — chest X-ray decision support report</source>
            <translation>CXR Assist — chest X-ray decision support report</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Patient ID</source>
            <translation>Patient ID</translation>
        </message>
        <message>
            <source>Sex / age</source>
            <translation>Sex / age</translation>
        </message>
        <message>
            <source>Study date</source>
            <translation>Study date</translation>
        </message>
        <message>
            <source>Study</source>
            <translation>Study</translation>
        </message>
        <message>
            <source>View</source>
            <translation>View</translation>
        </message>
        <message>
            <source>Image file</source>
            <translation>Image file</translation>
        </message>
        <message>
            <source>Generated</source>
            <translation>Generated</translation>
        </message>
        <message>
            <source>Overlay: evidence map for %1</source>
            <translation>Overlay: evidence map for %1</translation>
        </message>
        <message>
            <source>Suggested findings</source>
            <translation>Suggested findings</translation>
        </message>
        <message>
            <source>Finding</source>
            <translation>Finding</translation>
        </message>
        <message>
            <source>Probability</source>
            <translation>Probability</translation>
        </message>
        <message>
            <source>Operating point</source>
            <translation>Operating point</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Decision</translation>
        </message>
        <message>
            <source>* not validated for this finding</source>
            <translation>* not validated for this finding</translation>
        </message>
        <message>
            <source>Note sentences that moved a finding</source>
            <translation>Note sentences that moved a finding</translation>
        </message>
        <message>
            <source>Clinical notes</source>
            <translation>Clinical notes</translation>
        </message>
        <message>
            <source>Provenance</source>
            <translation>Provenance</translation>
        </message>
        <message>
            <source>model</source>
            <translation>model</translation>
        </message>
        <message>
            <source>prompts</source>
            <translation>prompts</translation>
        </message>
        <message>
            <source>site library</source>
            <translation>site library</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::StudioSettings</name>
        <message>
            <source>PACS node: the name is empty.</source>
            <translation>PACS node: the name is empty.</translation>
        </message>
        <message>
            <source>PACS node %1: AE title "%2" must be 1-16 ASCII characters without backslash.</source>
            <translation>PACS node %1: AE title "%2" must be 1-16 ASCII characters without backslash.</translation>
        </message>
        <message>
            <source>PACS node %1: the host name is empty or contains spaces.</source>
            <translation>PACS node %1: the host name is empty or contains spaces.</translation>
        </message>
        <message>
            <source>PACS node %1: port %2 is outside 1-65535.</source>
            <translation>PACS node %1: port %2 is outside 1-65535.</translation>
        </message>
        <message>
            <source>certificate</source>
            <translation>certificate</translation>
        </message>
        <message>
            <source>private key</source>
            <translation>private key</translation>
        </message>
        <message>
            <source>trusted CA certificates</source>
            <translation>trusted CA certificates</translation>
        </message>
        <message>
            <source>PACS node %1 uses TLS, but the workstation&apos;s %2 is not set or not found: set it in Settings › Preferences.</source>
            <translation>PACS node %1 uses TLS, but the workstation&apos;s %2 is not set or not found: set it in Settings › Preferences.</translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::StudyListModel</name>
        <message>
            <source>%1: not found; check the path</source>
            <translation>%1: not found; check the path</translation>
        </message>
        <message>
            <source>Image files</source>
            <translation>Image files</translation>
        </message>
        <message>
            <source>(no patient name)</source>
            <translation>(no patient name)</translation>
        </message>
        <message>
            <source>%1 (ID %2)</source>
            <translation>%1 (ID %2)</translation>
        </message>
        <message>
            <source>Study</source>
            <translation>Study</translation>
        </message>
        <message>
            <source>%1
%2 × %3 pixels</source>
            <translation>%1
%2 × %3 pixels</translation>
        </message>
        <message>
            <source>Sex: %1  Age: %2</source>
            <translation>Sex: %1  Age: %2</translation>
        </message>
        <message>
            <source>Patients / studies / series</source>
            <translation>Patients / studies / series</translation>
        </message>
        <message numerus="yes">
            <source>%1 — %n image(s)</source>
            <translation>
                <numerusform>%1 — %n image</numerusform>
                <numerusform>%1 — %n images</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>cxr::studio::TeachSet</name>
        <message>
            <source>%1: cannot be read (%2).</source>
            <translation>%1: cannot be read (%2).</translation>
        </message>
        <message>
            <source>%1: not valid JSON (%2); fix or delete the file.</source>
            <translation>%1: not valid JSON (%2); fix or delete the file.</translation>
        </message>
        <message>
            <source>%1: cannot be written (%2).</source>
            <translation>%1: cannot be written (%2).</translation>
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
            <translation>Lung</translation>
        </message>
        <message>
            <source>Mediastinum</source>
            <translation>Mediastinum</translation>
        </message>
        <message>
            <source>Bone</source>
            <translation>Bone</translation>
        </message>
        <message>
            <source>Full range</source>
            <translation>Full range</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>Default</translation>
        </message>
    </context>
</TS>
