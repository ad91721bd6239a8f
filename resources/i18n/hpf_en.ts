<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>IdentifyScreen</name>
    <message numerus="yes">
        <source>%n attempt(s) left.</source>
        <translation>
            <numerusform>%n attempt left.</numerusform>
            <numerusform>%n attempts left.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message numerus="yes">
        <source>No activity: this session ends in %n second(s). Touch the screen to continue.</source>
        <translation>
            <numerusform>No activity: this session ends in %n second. Touch the screen to continue.</numerusform>
            <numerusform>No activity: this session ends in %n seconds. Touch the screen to continue.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoanScreen</name>
    <message numerus="yes">
        <source>%n period(s) left</source>
        <translation>
            <numerusform>%n period left</numerusform>
            <numerusform>%n periods left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NoticeScreen</name>
    <message numerus="yes">
        <source>Once complete, it is done within %n working day(s).</source>
        <translation>
            <numerusform>Once complete, it is done within %n working day.</numerusform>
            <numerusform>Once complete, it is done within %n working days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TechnicianScreen</name>
    <message numerus="yes">
        <source>Locked after wrong PINs; try again in %n minute(s).</source>
        <translation>
            <numerusform>Locked after wrong PINs; try again in %n minute.</numerusform>
            <numerusform>Locked after wrong PINs; try again in %n minutes.</numerusform>
        </translation>
    </message>
</context>
</TS>
