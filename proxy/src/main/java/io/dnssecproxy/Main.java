package io.dnssecproxy; public class Main { public static void main(String[] a){ System.out.println(org.xbill.DNS.Name.root); } }
