<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>BundleScreen</name>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="55" />
        <source>House + loan, one window</source>
        <translation>二手房+贷款一窗办理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="59" />
        <source>Property unit no. / online contract no.</source>
        <translation>不动产单元号 / 网签合同号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="60" />
        <source>Open one-window case</source>
        <translation>一窗受理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="61" />
        <source>Mark the selected department's step done</source>
        <translation>所选部门环节办结</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="62" />
        <source>Print the status for the member</source>
        <translation>打印进度凭条</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="63" />
        <source>Sub-case</source>
        <translation>子件</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="63" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="63" />
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="64" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="77" />
        <source>This one-window case was opened at another counter.</source>
        <translation>该一窗办理案件由其他柜台受理。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="92" />
        <source>Identify the member on the intake screen first.</source>
        <translation>请先在业务受理页识别职工身份。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="100" />
        <source>One-window case %1 opened with %2 linked sub-cases.</source>
        <translation>已受理一窗办理案件 %1，关联子件 %2 个。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="108" />
        <source>Choose a sub-case.</source>
        <translation>请选择子件。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="122" />
        <source>No member identified yet.</source>
        <translation>尚未识别职工。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="131" />
        <source>done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="131" />
        <source>in progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/bundle.py" line="160" />
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source> · signed in offline</source>
        <translation> · 离线登录</translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="108" />
        <source>Counter · window %1</source>
        <translation>柜台 · %1 号窗口</translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="111" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="112" />
        <source>HPF counter</source>
        <translation>住房公积金柜台</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter_app/window.py" line="174" />
        <source>Signing out in %n second(s) without input</source>
        <translation>
            <numerusform>无操作，%n 秒后自动退出</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="180" />
        <source>Signed out after %1 minutes without input.</source>
        <translation>%1 分钟无操作，已自动退出登录。</translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="202" />
        <source>No connection to the centre</source>
        <translation>未连接中心</translation>
    </message>
    <message>
        <location filename="../../counter_app/window.py" line="205" />
        <source>%1 unsent</source>
        <translation>%1 笔待上传</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="43" />
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="47" />
        <source>Run health checks</source>
        <translation>设备自检</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="48" />
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="49" />
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="49" />
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="49" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="50" />
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="50" />
        <source>Health</source>
        <translation>自检结果</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="62" />
        <source>not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/devices.py" line="99" />
        <source>Test page printed.</source>
        <translation>测试页已打印。</translation>
    </message>
</context>
<context>
    <name>IntakeScreen</name>
    <message>
        <source>Attestation of %1 recorded; a supervisor approves it with the case.</source>
        <translation>已录入%1的核验信息，由主管随案件一并审批。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="112" />
        <source>Case intake</source>
        <translation>业务受理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="116" />
        <source>Read ID card</source>
        <translation>读身份证</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="117" />
        <source>or type the ID number</source>
        <translation>或输入证件号码</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="118" />
        <source>Find member</source>
        <translation>查询职工</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="119" />
        <source>Property unit / contract no. (if any)</source>
        <translation>不动产单元号 / 合同号（如有）</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="120" />
        <source>Start case</source>
        <translation>开始受理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="121" />
        <source>Resume draft</source>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="122" />
        <source>Notice / case number</source>
        <translation>告知书编号 / 案件编号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="123" />
        <source>Continue this case</source>
        <translation>续办</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="124" />
        <source>Capture selected with the document camera</source>
        <translation>高拍仪拍摄所选材料</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="125" />
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="126" />
        <source>Decide</source>
        <translation>审核办理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="127" />
        <source>Print receipt</source>
        <translation>打印凭条</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="128" />
        <source>A4 / PDF</source>
        <translation>A4 打印 / PDF</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="129" />
        <source>Deposit certificate (A4 / PDF)</source>
        <translation>缴存证明（A4 / PDF）</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="130" />
        <source>Material</source>
        <translation>材料</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="130" />
        <source>Presented</source>
        <translation>已提交</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="130" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="163" />
        <source>No ID card reader is connected: type the ID number.</source>
        <translation>未连接身份证读卡器，请手工输入证件号码。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="165" />
        <source>Put the ID card on the reader…</source>
        <translation>请将身份证放在读卡器上…</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="170" />
        <source>No card was read. Try again or type the ID number.</source>
        <translation>未读到身份证，请重试或手工输入证件号码。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="195" />
        <source>Looking the member up…</source>
        <translation>正在查询职工…</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="210" />
        <source>No member with this ID number.</source>
        <translation>没有该证件号码的缴存职工。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="217" />
        <source>No member identified yet.</source>
        <translation>尚未识别职工。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="219" />
        <source>ID card read</source>
        <translation>已读身份证</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="219" />
        <source>ID number typed</source>
        <translation>手工输入证件号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="222" />
        <source>Account data from the local cache, as of %1 (offline)</source>
        <translation>账户数据来自本机缓存，截至 %1（离线）</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="230" />
        <source>Identify the member first.</source>
        <translation>请先识别职工身份。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="240" />
        <source>Case %1 opened.</source>
        <translation>已受理，案件编号 %1。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="283" />
        <source>Choose the material to capture in the list.</source>
        <translation>请在清单中选择要拍摄的材料。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="286" />
        <source>No document camera is connected.</source>
        <translation>未连接高拍仪。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="300" />
        <source>Captured into the case file.</source>
        <translation>已拍照存入案卷。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="313" />
        <source>Draft saved; resume it any time from the list above.</source>
        <translation>草稿已保存，可随时从上方列表恢复。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="340" />
        <source>Draft %1 resumed.</source>
        <translation>已恢复草稿 %1。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="391" />
        <source>No receipt printer: use A4 / PDF.</source>
        <translation>未连接凭条打印机，请用 A4 / PDF。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="405" />
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="426" />
        <location filename="../../counter_app/screens/intake.py" line="444" />
        <source>PDF saved: %1</source>
        <translation>PDF 已保存：%1</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/intake.py" line="427" />
        <location filename="../../counter_app/screens/intake.py" line="445" />
        <source>(no A4 printer configured)</source>
        <translation>（未配置A4打印机）</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="89" />
        <source>Queue</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="95" />
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="96" />
        <source>Call again</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="97" />
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="98" />
        <source>Finished</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="99" />
        <source>Transfer to window</source>
        <translation>转至窗口</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="100" />
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="101" />
        <source>Ticket</source>
        <translation>排队号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="101" />
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="101" />
        <location filename="../../counter_app/screens/queue.py" line="179" />
        <source>Priority</source>
        <translation>优先</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="102" />
        <source>Taken at</source>
        <translation>取号时间</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="134" />
        <source>Nobody is waiting for the chosen categories.</source>
        <translation>所选业务类别暂无等候。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="168" />
        <source>Now serving: %1</source>
        <translation>正在办理：%1</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="169" />
        <source>No ticket called</source>
        <translation>尚未叫号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="185" />
        <source>Offline: queue as of %1; calls are saved and sent later.</source>
        <translation>离线：排队数据截至 %1，叫号记录已保存，联网后上传。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/queue.py" line="188" />
        <source>%1 waiting</source>
        <translation>等候 %1 人</translation>
    </message>
</context>
<context>
    <name>RefusedScreen</name>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="53" />
        <source>Refused by the centre</source>
        <translation>中心退回</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="57" />
        <source>Mark as handled</source>
        <translation>标记已处理</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="58" />
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="59" />
        <source>Saved at</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="59" />
        <source>What</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="59" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="60" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/refused.py" line="60" />
        <source>The centre's reason</source>
        <translation>中心的理由</translation>
    </message>
</context>
<context>
    <name>ReportScreen</name>
    <message>
        <location filename="../../counter_app/screens/report.py" line="44" />
        <source>Day-end report</source>
        <translation>日终报表</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="48" />
        <source>Per clerk</source>
        <translation>按柜员</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="49" />
        <source>Per business item</source>
        <translation>按业务事项</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="50" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="51" />
        <source>A4 / PDF</source>
        <translation>A4 打印 / PDF</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="53" />
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="54" />
        <source>Business item</source>
        <translation>业务事项</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="92" />
        <source>Clerk / item</source>
        <translation>柜员 / 事项</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/report.py" line="97" />
        <source>PDF saved: %1</source>
        <translation>PDF 已保存：%1</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Paper checked by the clerk (approving the case approves these figures):</source>
        <translation>柜员核验的纸质材料（批准本案即认可以下信息）：</translation>
    </message>
    <message>
        <source>scan</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="57" />
        <source>Review</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="61" />
        <source>Comment (required to reject)</source>
        <translation>审批意见（退回时必填）</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="62" />
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="63" />
        <source>Reject</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="92" />
        <source>Only a supervisor may approve or reject; you are signed in as %1.</source>
        <translation>只有审批主管可以批准或退回；您当前身份为%1。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="95" />
        <source>Choose a case in the work list.</source>
        <translation>请在待办列表中选择案件。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="101" />
        <source>At this counter:</source>
        <translation>本柜台操作记录：</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="113" />
        <source>Reasons:</source>
        <translation>审核意见：</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="119" />
        <source>Fraud signals:</source>
        <translation>风险提示：</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="120" />
        <source>No fraud signals.</source>
        <translation>无风险提示。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="132" />
        <source>Approved.</source>
        <translation>已批准。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/review.py" line="132" />
        <source>Rejected.</source>
        <translation>已退回。</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Accounts are kept by the centre. Without a connection, only staff who signed in online at this counter in the last 72 hours can sign in; the centre checks their role for every action later.</source>
        <translation>工作人员账号由中心统一管理。断网时，仅限72小时内在本柜台联机登录过的工作人员离线登录；联网后中心将逐项核验操作时的角色。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/signin.py" line="39" />
        <source>Staff sign-in</source>
        <translation>工作人员登录</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/signin.py" line="43" />
        <source>Staff id</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/signin.py" line="44" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/signin.py" line="45" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/signin.py" line="50" />
        <source>Enter your staff id and password.</source>
        <translation>请输入工号和密码。</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Accounts and roles are managed at the centre (hpf-ledger staff).</source>
        <translation>账号与角色由中心统一管理（hpf-ledger staff）。</translation>
    </message>
    <message>
        <source>Signed in offline: the centre's accounts can be managed only online.</source>
        <translation>当前为离线登录：中心账号只能在联网时管理。</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="43" />
        <source>Staff accounts</source>
        <translation>人员账号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="47" />
        <source>Unlock the selected account</source>
        <translation>解锁所选账号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="48" />
        <source>Add account</source>
        <translation>新增账号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="49" />
        <location filename="../../counter_app/screens/staff.py" line="55" />
        <source>Staff id</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="50" />
        <location filename="../../counter_app/screens/staff.py" line="55" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="51" />
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="55" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="56" />
        <source>Sign-in</source>
        <translation>登录状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="70" />
        <source>locked, %1 min left</source>
        <translation>已锁定，剩余 %1 分钟</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter_app/screens/staff.py" line="72" />
        <source>%n failed attempt(s)</source>
        <translation>
            <numerusform>连续失败 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="74" />
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="90" />
        <source>%1 unlocked.</source>
        <translation>已解锁 %1。</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/staff.py" line="103" />
        <source>%1 added.</source>
        <translation>已新增 %1。</translation>
    </message>
</context>
<context>
    <name>WorklistScreen</name>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="60" />
        <source>Work list</source>
        <translation>待办列表</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="64" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="65" />
        <source>Open for review</source>
        <translation>打开审批</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="66" />
        <source>Case</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="66" />
        <source>Business</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="66" />
        <source>Member</source>
        <translation>职工</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="67" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="67" />
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="67" />
        <source>Due</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="68" />
        <source>Working days left</source>
        <translation>剩余工作日</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="115" />
        <source>%1 overdue</source>
        <translation>已超期 %1 个工作日</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="117" />
        <source>due today</source>
        <translation>今日到期</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="140" />
        <source>%1 past the deadline, %2 due within a working day</source>
        <translation>已超期 %1 件，1个工作日内到期 %2 件</translation>
    </message>
    <message>
        <location filename="../../counter_app/screens/worklist.py" line="144" />
        <source>Offline: work list as of %1 (stale).</source>
        <translation>离线：待办列表截至 %1（数据可能过时）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter_app/screens/worklist.py" line="138" />
        <source>%n open case(s)</source>
        <translation>
            <numerusform>待办案件 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttestationForm</name>
    <message>
        <source>Attest the paper: %1</source>
        <translation>纸质材料核验：%1</translation>
    </message>
    <message>
        <source>Copy the figures from the original. They become a fact for the centre only after a supervisor approves the case; the centre records you as the clerk who checked it.</source>
        <translation>请按原件录入以下信息。主管审批本案后，中心才将其作为事实采信，并记录您为核验柜员。</translation>
    </message>
    <message>
        <source>Capture it first, or type the scan number</source>
        <translation>请先用高拍仪拍摄，或输入扫描件编号</translation>
    </message>
    <message>
        <source>Document-camera scan</source>
        <translation>高拍仪扫描件</translation>
    </message>
    <message>
        <source>Attestation recorded (record again)</source>
        <translation>已录入核验（重新录入）</translation>
    </message>
    <message>
        <source>Record the attestation</source>
        <translation>录入核验</translation>
    </message>
</context>
</TS>