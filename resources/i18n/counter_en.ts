<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>CounterWindow</name>
    <message numerus="yes">
        <source>Signing out in %n second(s) without input</source>
        <translation>
            <numerusform>Signing out in %n second without input</numerusform>
            <numerusform>Signing out in %n seconds without input</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message numerus="yes">
        <source>%n failed attempt(s)</source>
        <translation>
            <numerusform>%n failed attempt</numerusform>
            <numerusform>%n failed attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorklistScreen</name>
    <message numerus="yes">
        <source>%n open case(s)</source>
        <translation>
            <numerusform>%n open case</numerusform>
            <numerusform>%n open cases</numerusform>
        </translation>
    </message>
</context>
</TS>
