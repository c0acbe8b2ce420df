package dev.guildhall.knowledge.router;

import java.util.ArrayList;
import java.util.List;

/** Small hand-written training sets (object mother). */
final class Examples {
    private Examples() {}

    static List<LabelledExample> fourIntents() {
        List<LabelledExample> rows = new ArrayList<>();
        add(
                rows,
                "card_arrival",
                "My card still has not arrived",
                "When will I get my new card?",
                "I ordered a card two weeks ago and nothing came",
                "How long does card delivery take?",
                "Is my card in the post yet?",
                "The card you sent me never arrived",
                "Can I track the delivery of my card?",
                "Still waiting for my card to show up");
        add(
                rows,
                "exchange_rate",
                "What exchange rate do you use?",
                "How much is one euro in dollars today?",
                "Is your currency conversion rate fair?",
                "Where can I see the exchange rates?",
                "Why was the rate for my pound transfer so bad?",
                "Do you use the interbank rate for currency exchange?",
                "How are foreign exchange rates calculated?",
                "What rate will I get converting yen?");
        add(
                rows,
                "lost_or_stolen_card",
                "I lost my card",
                "Someone stole my card, please block it",
                "My wallet was stolen with my bank card in it",
                "I can't find my card anywhere",
                "Please freeze my card, I think it was stolen",
                "I left my card in a taxi and it's gone",
                "What do I do if my card is lost?",
                "My card went missing yesterday");
        add(
                rows,
                "top_up_failed",
                "My top up failed",
                "Why did my top-up not go through?",
                "I tried to add money but the top up was declined",
                "Top up didn't work this morning",
                "The transfer to top up my account was rejected",
                "Adding funds failed again",
                "My card top up keeps failing",
                "Why can't I top up my balance?");
        return rows;
    }

    static List<LabelledExample> fourIntentsAndOutOfScope() {
        List<LabelledExample> rows = fourIntents();
        add(
                rows,
                "oos",
                "What is the weather like in Paris tomorrow?",
                "Tell me a joke about cats",
                "Who won the football match last night?",
                "How do I bake sourdough bread?",
                "Play some relaxing music",
                "What is the capital of Australia?",
                "Book me a table for two at an Italian restaurant",
                "How tall is Mount Everest?");
        return rows;
    }

    private static void add(List<LabelledExample> rows, String label, String... texts) {
        for (String text : texts) {
            rows.add(new LabelledExample(text, label));
        }
    }
}
