DROP TABLE opening_stock;
DROP TABLE sell_in;
DROP TABLE declaration_proofs;
DROP TABLE declaration_lines;
DROP TABLE declaration_decisions;
DROP TABLE declarations;
DROP TABLE declaration_rules;
