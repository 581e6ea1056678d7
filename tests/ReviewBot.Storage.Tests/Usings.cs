global using ReviewBot.TestSupport;
