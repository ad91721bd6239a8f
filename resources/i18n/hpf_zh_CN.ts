<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountScreen</name>
    <message>
        <source>My account</source>
        <translation>我的账户</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>账户余额</translation>
    </message>
    <message>
        <source>Account status</source>
        <translation>账户状态</translation>
    </message>
    <message>
        <source>Available to withdraw</source>
        <translation>可提取余额</translation>
    </message>
    <message>
        <source>Deposit base</source>
        <translation>缴存基数</translation>
    </message>
    <message>
        <source>Deposit ratio (employer + you)</source>
        <translation>缴存比例（单位 + 个人）</translation>
    </message>
    <message>
        <source>Monthly deposit</source>
        <translation>月缴存额</translation>
    </message>
    <message>
        <source>Paid up to</source>
        <translation>缴至年月</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>My deposits</source>
        <translation>我的缴存</translation>
    </message>
    <message>
        <source>My withdrawals</source>
        <translation>我的提取</translation>
    </message>
    <message>
        <source>My loan</source>
        <translation>我的贷款</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>办理提取</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>CalculatorScreen</name>
    <message>
        <source>Years</source>
        <translation>年</translation>
    </message>
    <message>
        <source>Monthly payment (yuan)</source>
        <translation>月供（元）</translation>
    </message>
    <message>
        <source>Print this result</source>
        <translation>打印试算结果</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Please take your paper from the slot below.</source>
        <translation>请从下方出纸口取走打印件。</translation>
    </message>
    <message>
        <source>This terminal has no printer; please ask at a counter.</source>
        <translation>本机未配置打印机，请到柜台办理。</translation>
    </message>
    <message>
        <source>It could not be printed; please ask at a counter.</source>
        <translation>未能打印，请到柜台办理。</translation>
    </message>
    <message>
        <source>%1 × 10,000 yuan</source>
        <translation>%1 万元</translation>
    </message>
    <message>
        <source>The rate table could not be loaded; the calculator is unavailable.</source>
        <translation>利率表无法加载，计算器暂不可用。</translation>
    </message>
    <message>
        <source>Total interest %1 · total repayment %2</source>
        <translation>利息总额 %1 · 还款总额 %2</translation>
    </message>
    <message>
        <source>Falls by %1 each month; last payment %2</source>
        <translation>每月递减 %1，末期还款 %2</translation>
    </message>
    <message>
        <source>Last payment %1 (the last period clears the balance)</source>
        <translation>末期还款 %1（末期结清剩余本金）</translation>
    </message>
    <message>
        <source>Illustrative figures; the bank&apos;s contract decides.</source>
        <translation>以上为示意数据，以借款合同为准。</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>interest %1</source>
        <translation>利息 %1</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期数</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>月供</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>本金</translation>
    </message>
    <message>
        <source>Interest</source>
        <translation>利息</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>剩余本金</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>The rate table could not be loaded</source>
        <translation>利率表无法加载</translation>
    </message>
    <message>
        <source>Loan calculator</source>
        <translation>贷款计算器</translation>
    </message>
    <message>
        <source>Loan kind</source>
        <translation>贷款类型</translation>
    </message>
    <message>
        <source>Home (sets the rate)</source>
        <translation>住房套数（决定利率）</translation>
    </message>
    <message>
        <source>Repayment method</source>
        <translation>还款方式</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>贷款期限</translation>
    </message>
    <message>
        <source>Loan amount</source>
        <translation>贷款金额</translation>
    </message>
    <message>
        <source>Provident fund</source>
        <translation>公积金贷款</translation>
    </message>
    <message>
        <source>Commercial</source>
        <translation>商业贷款</translation>
    </message>
    <message>
        <source>Combined</source>
        <translation>组合贷款</translation>
    </message>
    <message>
        <source>Provident fund part</source>
        <translation>公积金贷款部分</translation>
    </message>
    <message>
        <source>Commercial part</source>
        <translation>商业贷款部分</translation>
    </message>
    <message>
        <source>First home</source>
        <translation>首套住房</translation>
    </message>
    <message>
        <source>Second home</source>
        <translation>第二套住房</translation>
    </message>
    <message>
        <source>Equal installments</source>
        <translation>等额本息</translation>
    </message>
    <message>
        <source>Equal principal</source>
        <translation>等额本金</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1 年</translation>
    </message>
    <message>
        <source>By year</source>
        <translation>按年</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>First monthly payment</source>
        <translation>首月月供</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Choose the loan, then the amount and the term.</source>
        <translation>请选择贷款类型，再输入金额和期限。</translation>
    </message>
</context>
<context>
    <name>CardSigningScreen</name>
    <message>
        <source>At the counter only</source>
        <translation>请到柜台办理</translation>
    </message>
    <message>
        <source>Applications can&apos;t be saved on this terminal right now</source>
        <translation>本机暂时无法保存申请</translation>
    </message>
    <message>
        <source>Bank: %1</source>
        <translation>银行：%1</translation>
    </message>
    <message>
        <source>Type the card number again to confirm</source>
        <translation>请再次输入卡号确认</translation>
    </message>
    <message>
        <source>Type the number of your debit card</source>
        <translation>请输入您的借记卡卡号</translation>
    </message>
    <message>
        <source>A debit card number has 16 to 19 digits.</source>
        <translation>借记卡卡号为 16 至 19 位数字。</translation>
    </message>
    <message>
        <source>The two numbers differ; please start again.</source>
        <translation>两次输入的卡号不一致，请重新输入。</translation>
    </message>
    <message>
        <source>Saved: card %1 will be bound once the bank confirms. Application no. %2</source>
        <translation>已保存：银行确认后将绑定卡号 %1。申请编号 %2</translation>
    </message>
    <message>
        <source>It could not be saved; please ask at a counter.</source>
        <translation>未能保存，请到柜台办理。</translation>
    </message>
    <message>
        <source>The receipt could not be printed.</source>
        <translation>回执未能打印。</translation>
    </message>
    <message>
        <source>Co-branded card signing</source>
        <translation>联名卡签约</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>DepositsScreen</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>For month / note</source>
        <translation>所属月份 / 摘要</translation>
    </message>
    <message>
        <source>My deposits</source>
        <translation>我的缴存</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>My account</source>
        <translation>我的账户</translation>
    </message>
    <message>
        <source>Withdrawals</source>
        <translation>提取业务</translation>
    </message>
    <message>
        <source>Loan calculator</source>
        <translation>贷款计算器</translation>
    </message>
    <message>
        <source>Loan limit check</source>
        <translation>贷款额度测算</translation>
    </message>
    <message>
        <source>Print statements</source>
        <translation>打印证明</translation>
    </message>
    <message>
        <source>Take a queue ticket</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Service outlets</source>
        <translation>服务网点</translation>
    </message>
    <message>
        <source>Cross-city transfer</source>
        <translation>异地转移接续</translation>
    </message>
    <message>
        <source>Co-branded card</source>
        <translation>联名卡签约</translation>
    </message>
    <message>
        <source>Not available yet</source>
        <translation>暂未开通</translation>
    </message>
    <message>
        <source>Welcome · self-service terminal</source>
        <translation>欢迎使用住房公积金自助服务终端</translation>
    </message>
    <message>
        <source>Place your ID card on the reader, or choose a service</source>
        <translation>请将身份证放在读卡区，或选择服务项目</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <source>QR code confirmed: you may now submit applications.</source>
        <translation>身份码已确认，现在可以提交申请。</translation>
    </message>
    <message>
        <source>The central system is not connected</source>
        <translation>中心系统未连接</translation>
    </message>
    <message>
        <source>Place your second-generation ID card flat on the reader below the screen.</source>
        <translation>请将第二代居民身份证平放在屏幕下方的读卡区。</translation>
    </message>
    <message>
        <source>The card reader is not working right now: please use your ID number and query password, or the QR code of the app.</source>
        <translation>读卡器暂不可用：请使用身份证号码加查询密码，或 App 二维码。</translation>
    </message>
    <message>
        <source>Open the HPF app, tap &quot;QR sign-in&quot; and hold the code under the scanner.</source>
        <translation>打开公积金 App，点击“扫码登录”，将二维码对准扫描口。</translation>
    </message>
    <message>
        <source>The QR scanner is not available on this terminal right now.</source>
        <translation>本机扫码功能暂不可用。</translation>
    </message>
    <message>
        <source>Enter your 6-digit query password</source>
        <translation>请输入 6 位查询密码</translation>
    </message>
    <message>
        <source>Enter your ID number</source>
        <translation>请输入身份证号码</translation>
    </message>
    <message>
        <source>The query password has 6 digits.</source>
        <translation>查询密码为 6 位数字。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Reading your account…</source>
        <translation>正在读取您的账户…</translation>
    </message>
    <message>
        <source>Checking the QR code…</source>
        <translation>正在验证二维码…</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s) left.</source>
        <translation>
            <numerusform>还可以尝试 %n 次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Who are you? Choose one way</source>
        <translation>请选择一种方式验证身份</translation>
    </message>
    <message>
        <source>① ID card</source>
        <translation>① 身份证</translation>
    </message>
    <message>
        <source>② QR code of the HPF app</source>
        <translation>② 公积金 App 二维码</translation>
    </message>
    <message>
        <source>③ ID number and query password</source>
        <translation>③ 身份证号码 + 查询密码</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Please use your ID card or the app&apos;s QR code, or ask at a counter.</source>
        <translation>密码错误次数过多。请使用身份证或 App 二维码，或到柜台办理。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Place your ID card on the reader, show the app&apos;s QR code, or enter your ID number.</source>
        <translation>请放置身份证、出示 App 二维码，或输入身份证号码。</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Sorry, something went wrong. Please start again.</source>
        <translation>抱歉，系统出现错误，请重新开始。</translation>
    </message>
    <message numerus="yes">
        <source>No activity: this session ends in %n second(s). Touch the screen to continue.</source>
        <translation>
            <numerusform>长时间无操作：%n 秒后将自动退出。触摸屏幕可继续办理。</numerusform>
        </translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>长辈模式</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>结束办理</translation>
    </message>
    <message>
        <source>Hotline %1</source>
        <translation>服务热线 %1</translation>
    </message>
</context>
<context>
    <name>LoanScreen</name>
    <message>
        <source>Day %1 of each month</source>
        <translation>每月 %1 日</translation>
    </message>
    <message numerus="yes">
        <source>%n period(s) left</source>
        <translation>
            <numerusform>剩余 %n 期</numerusform>
        </translation>
    </message>
    <message>
        <source>Overdue: principal %1, interest %2, penalty interest %3, total %4</source>
        <translation>逾期：欠本金 %1，欠利息 %2，欠罚息 %3，合计 %4</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期数</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>月供</translation>
    </message>
    <message>
        <source>Principal</source>
        <translation>本金</translation>
    </message>
    <message>
        <source>Interest</source>
        <translation>利息</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>剩余本金</translation>
    </message>
    <message>
        <source>My loan</source>
        <translation>我的贷款</translation>
    </message>
    <message>
        <source>You have no housing provident fund loan.</source>
        <translation>您没有住房公积金贷款。</translation>
    </message>
    <message>
        <source>Repayment plan (illustrative, from today&apos;s balance)</source>
        <translation>还款计划（按当前余额示意）</translation>
    </message>
    <message>
        <source>Contract no.</source>
        <translation>借款合同号</translation>
    </message>
    <message>
        <source>Loan amount</source>
        <translation>贷款金额</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>账户余额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Repayment method</source>
        <translation>还款方式</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>年利率</translation>
    </message>
    <message>
        <source>Repayment day</source>
        <translation>还款日</translation>
    </message>
    <message>
        <source>Due this period</source>
        <translation>本期应还</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <source>Not fitted</source>
        <translation>未配置</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <source>QR scanner</source>
        <translation>二维码扫描器</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>凭条打印机</translation>
    </message>
    <message>
        <source>Run health checks</source>
        <translation>运行健康检查</translation>
    </message>
    <message>
        <source>Quit the kiosk application</source>
        <translation>退出自助终端程序</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <source>The centre cannot be reached: these figures are a copy saved on this terminal at %1 (Beijing time) and may have changed since.</source>
        <translation>暂时无法连接中心系统：以下数据为本机于 %1（北京时间）保存的副本，之后可能已有变化。</translation>
    </message>
</context>
<context>
    <name>NoticeScreen</name>
    <message>
        <source>or:</source>
        <translation>或：</translation>
    </message>
    <message>
        <source>Nothing is missing.</source>
        <translation>材料齐全，无需补充。</translation>
    </message>
    <message numerus="yes">
        <source>Once complete, it is done within %n working day(s).</source>
        <translation>
            <numerusform>材料齐全后 %n 个工作日内办结。</numerusform>
        </translation>
    </message>
    <message>
        <source>Once complete, it is done on the spot.</source>
        <translation>材料齐全后当场办结。</translation>
    </message>
    <message>
        <source>This terminal can&apos;t print right now; the counter will give you the list.</source>
        <translation>本机暂时无法打印，柜台可为您提供此清单。</translation>
    </message>
    <message>
        <source>Please take the notice from the slot below.</source>
        <translation>请从下方出纸口取走告知书。</translation>
    </message>
    <message>
        <source>The notice could not be printed.</source>
        <translation>告知书未能打印。</translation>
    </message>
    <message>
        <source>What you still need to bring (one-time notice)</source>
        <translation>还需补充的材料（一次性告知）</translation>
    </message>
    <message>
        <source>Print this list</source>
        <translation>打印此清单</translation>
    </message>
    <message>
        <source>Take a ticket for the counter</source>
        <translation>取号到柜台办理</translation>
    </message>
</context>
<context>
    <name>OutletsScreen</name>
    <message>
        <source>The central system is not connected</source>
        <translation>中心系统未连接</translation>
    </message>
    <message>
        <source>Service hall</source>
        <translation>服务大厅</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>办公时间</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>窗口数</translation>
    </message>
    <message>
        <source>The list of outlets has not arrived from the centre yet; please ask the staff or call the hotline.</source>
        <translation>尚未收到中心下发的网点信息，请咨询工作人员或拨打服务热线。</translation>
    </message>
    <message>
        <source>Demonstration data: these addresses are placeholders.</source>
        <translation>演示数据：以下地址仅为示例。</translation>
    </message>
    <message>
        <source>Service outlets</source>
        <translation>服务网点</translation>
    </message>
</context>
<context>
    <name>PrecheckScreen</name>
    <message>
        <source>%1 × 10,000 yuan</source>
        <translation>%1 万元</translation>
    </message>
    <message>
        <source>The loan rules could not be loaded</source>
        <translation>贷款规则无法加载</translation>
    </message>
    <message>
        <source>Enter the home price in 10,000s of yuan (60 means 600,000 yuan).</source>
        <translation>请以万元为单位输入房价。</translation>
    </message>
    <message>
        <source>Not eligible yet</source>
        <translation>暂不符合条件</translation>
    </message>
    <message>
        <source>An estimate from your account; the loan contract decides.</source>
        <translation>根据您的账户测算，仅供参考，以借款合同为准。</translation>
    </message>
    <message>
        <source>Loan limit check</source>
        <translation>贷款额度测算</translation>
    </message>
    <message>
        <source>Home (sets the rate)</source>
        <translation>住房套数（决定利率）</translation>
    </message>
    <message>
        <source>Kind of housing</source>
        <translation>住房类型</translation>
    </message>
    <message>
        <source>Home price</source>
        <translation>房屋总价</translation>
    </message>
    <message>
        <source>First home</source>
        <translation>首套住房</translation>
    </message>
    <message>
        <source>Second home</source>
        <translation>第二套住房</translation>
    </message>
    <message>
        <source>Commercial housing</source>
        <translation>商品住房</translation>
    </message>
    <message>
        <source>Government-subsidised housing</source>
        <translation>保障性住房</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
</context>
<context>
    <name>PrintScreen</name>
    <message>
        <source>This terminal has no printer</source>
        <translation>本机未配置打印机</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>This terminal has no printer; please ask at a counter.</source>
        <translation>本机未配置打印机，请到柜台办理。</translation>
    </message>
    <message>
        <source>A certificate needs the centre&apos;s current figures; the centre can&apos;t be reached right now.</source>
        <translation>缴存证明须使用中心的最新数据，目前无法连接中心，请稍后再试。</translation>
    </message>
    <message>
        <source>Verification code: %1</source>
        <translation>验证码：%1</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Please take your paper from the slot below.</source>
        <translation>请从下方出纸口取走打印件。</translation>
    </message>
    <message>
        <source>It could not be printed; please ask at a counter.</source>
        <translation>未能打印，请到柜台办理。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Account statement</source>
        <translation>个人对账单</translation>
    </message>
    <message>
        <source>Deposit certificate</source>
        <translation>缴存证明</translation>
    </message>
    <message>
        <source>Last receipt again</source>
        <translation>补打本次回执</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <source>The business catalogue could not be loaded</source>
        <translation>业务目录无法加载</translation>
    </message>
    <message>
        <source>Tickets can&apos;t be issued on this terminal right now</source>
        <translation>本机暂时无法取号</translation>
    </message>
    <message>
        <source>Choose the counter service. You asked about: %1</source>
        <translation>请选择柜台业务。您咨询的是：%1</translation>
    </message>
    <message>
        <source>Your number: %1</source>
        <translation>您的号码：%1</translation>
    </message>
    <message>
        <source>People ahead of you: %1</source>
        <translation>您前面还有 %1 人</translation>
    </message>
    <message>
        <source>Priority lane (elderly, disabled, pregnant)</source>
        <translation>优先窗口（老年人、残疾人、孕妇）</translation>
    </message>
    <message>
        <source>No ticket could be issued; please ask the staff at the entrance.</source>
        <translation>未能取号，请咨询大厅入口处工作人员。</translation>
    </message>
    <message>
        <source>Please remember your number; this terminal can&apos;t print right now.</source>
        <translation>请记住您的号码，本机暂时无法打印。</translation>
    </message>
    <message>
        <source>Please remember your number; the ticket could not be printed.</source>
        <translation>请记住您的号码，号票未能打印。</translation>
    </message>
    <message>
        <source>Take a queue ticket</source>
        <translation>取号</translation>
    </message>
    <message>
        <source>Choose the counter service you need.</source>
        <translation>请选择需要办理的柜台业务。</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>Thank you</source>
        <translation>感谢您的使用</translation>
    </message>
    <message>
        <source>How satisfied are you with this service?</source>
        <translation>您对本次服务满意吗？</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Skip and finish</source>
        <translation>跳过并结束</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <source>Centre&apos;s decision: %1</source>
        <translation>中心审批结果：%1</translation>
    </message>
    <message>
        <source>Provisional result: %1 (the centre will confirm)</source>
        <translation>初步结果：%1（中心将确认）</translation>
    </message>
    <message>
        <source>The centre&apos;s decision</source>
        <translation>中心审批结果</translation>
    </message>
    <message>
        <source>Application no. %1</source>
        <translation>申请编号 %1</translation>
    </message>
    <message>
        <source>Provisional result: %1</source>
        <translation>初步结果：%1</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <source>Please take your receipt from the slot below.</source>
        <translation>请从下方出纸口取走回执。</translation>
    </message>
    <message>
        <source>The receipt could not be printed.</source>
        <translation>回执未能打印。</translation>
    </message>
    <message>
        <source>Photograph or scan the code above: a clerk at any counter can print a copy from it.</source>
        <translation>请拍下或扫描上方二维码，任一柜台工作人员可凭此码为您补打回执。</translation>
    </message>
    <message>
        <source>This terminal can&apos;t print right now.</source>
        <translation>本机暂时无法打印。</translation>
    </message>
    <message>
        <source>Scan in the HPF app to follow your application.</source>
        <translation>用公积金 App 扫码可查询办理进度。</translation>
    </message>
    <message>
        <source>Print a copy</source>
        <translation>再打印一份</translation>
    </message>
    <message>
        <source>Try printing again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Your application is saved</source>
        <translation>您的申请已保存</translation>
    </message>
</context>
<context>
    <name>TechnicianScreen</name>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 码错误。</translation>
    </message>
    <message numerus="yes">
        <source>Locked after wrong PINs; try again in %n minute(s).</source>
        <translation>
            <numerusform>PIN 码错误次数过多，已锁定，请 %n 分钟后再试。</numerusform>
        </translation>
    </message>
    <message>
        <source>Technician PIN</source>
        <translation>技术人员 PIN 码</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>TransferScreen</name>
    <message>
        <source>At the counter or online</source>
        <translation>请到柜台或网上办理</translation>
    </message>
    <message>
        <source>The business catalogue could not be loaded</source>
        <translation>业务目录无法加载</translation>
    </message>
    <message>
        <source>Applications can't be saved on this terminal right now</source>
        <translation>本机暂时无法保存申请</translation>
    </message>
    <message>
        <source>Cross-city transfer</source>
        <translation>异地转移接续</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Confirm and submit</source>
        <translation>确认提交</translation>
    </message>
    <message>
        <source>You have just applied for a transfer; it is being processed.</source>
        <translation>您刚刚已提交转移接续申请，正在办理中。</translation>
    </message>
    <message>
        <source>The application could not be saved; nothing was sent. Please try again or ask at a counter.</source>
        <translation>申请未能保存，没有发送任何内容。请重试或到柜台咨询。</translation>
    </message>
    <message>
        <source>Where is your provident fund account now? Choose the province.</source>
        <translation>您的公积金账户现在在哪里？请选择省份。</translation>
    </message>
    <message>
        <source>Choose the city whose centre holds your account.</source>
        <translation>请选择您账户所在的城市公积金中心。</translation>
    </message>
    <message>
        <source>Check the centre, type your account number there if you know it, then confirm.</source>
        <translation>请核对转出地中心；如知道原公积金账号请输入，然后确认。</translation>
    </message>
    <message>
        <source>Transfer in from: %1</source>
        <translation>转出地：%1</translation>
    </message>
    <message>
        <source>Your account number there (optional; the national platform finds it by your ID number)</source>
        <translation>原公积金账号（选填；全国转移接续平台可按身份证号查找）</translation>
    </message>
    <message>
        <source>Choose another centre</source>
        <translation>重新选择转出地</translation>
    </message>
    <message>
        <source>Choose another province</source>
        <translation>重新选择省份</translation>
    </message>
</context>
<context>
    <name>WithdrawDecisionScreen</name>
    <message>
        <source>Saved. Sent to the centre: waiting for its decision…</source>
        <translation>申请已保存，已发送至中心，正在等待中心审批结果…</translation>
    </message>
    <message>
        <source>The withdrawal rules could not be loaded; please ask at a counter.</source>
        <translation>提取规则无法加载，请到柜台办理。</translation>
    </message>
    <message>
        <source>You have just applied for this withdrawal; it is being processed.</source>
        <translation>您刚刚已提交此项提取申请，正在办理中。</translation>
    </message>
    <message>
        <source>Checking your eligibility…</source>
        <translation>正在核验办理条件…</translation>
    </message>
    <message>
        <source>The rules could not be checked right now; please try again or ask at a counter.</source>
        <translation>暂时无法核验办理条件，请稍后再试或到柜台办理。</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>准予提取</translation>
    </message>
    <message>
        <source>A clerk will check it</source>
        <translation>需人工复核</translation>
    </message>
    <message>
        <source>Materials are missing</source>
        <translation>材料不全</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Approved instantly</source>
        <translation>秒批：准予提取</translation>
    </message>
    <message>
        <source>Paid to your card %1</source>
        <translation>转入您的银行卡 %1</translation>
    </message>
    <message>
        <source>The application could not be saved; nothing was sent. Please try again or ask at a counter.</source>
        <translation>申请未能保存，未做任何提交。请重试或到柜台办理。</translation>
    </message>
    <message>
        <source>Withdrawal</source>
        <translation>提取</translation>
    </message>
    <message>
        <source>Confirm and submit</source>
        <translation>确认提交</translation>
    </message>
    <message>
        <source>What to bring (one-time notice)</source>
        <translation>需补充的材料（一次性告知）</translation>
    </message>
</context>
<context>
    <name>WithdrawScreen</name>
    <message>
        <source>The business catalogue could not be loaded</source>
        <translation>业务目录无法加载</translation>
    </message>
    <message>
        <source>Applications can&apos;t be saved on this terminal right now</source>
        <translation>本机暂时无法保存申请</translation>
    </message>
    <message>
        <source>Withdrawals</source>
        <translation>提取业务</translation>
    </message>
    <message>
        <source>What is the withdrawal for?</source>
        <translation>请选择提取原因</translation>
    </message>
    <message>
        <source>Not offered</source>
        <translation>未开办</translation>
    </message>
    <message>
        <source>At the counter only</source>
        <translation>请到柜台办理</translation>
    </message>
</context>
<context>
    <name>WithdrawalHistoryScreen</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Paid to</source>
        <translation>收款账户</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>My withdrawals</source>
        <translation>我的提取</translation>
    </message>
</context>
</TS>
